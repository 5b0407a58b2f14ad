# Times R surveillance on the same synthetic series as vigil's alerts benchmark, the same way the reference
# timings in ../shared/refs/timings.csv were taken: the sts object is built first, then only the call is timed.
# Usage: Rscript bench/alerts_r_timing.R INPUT.csv.gz METHOD
#   METHOD: C1 | C2 | C3 | cusum | farrington1996 | noufaily2013 (the vigil settings of the same names)
suppressMessages(library(surveillance))
args <- commandArgs(TRUE)
d <- read.csv(gzfile(args[1]))
ids <- unique(d$series_id)
n <- max(d$t)
Y <- matrix(d$count, nrow = n, ncol = length(ids))
S <- sts(observed = Y, start = c(2010, 1), freq = 52)
rng <- (n - 51):n
t0 <- proc.time()[["elapsed"]]
far <- list(range = rng, b = 5, w = 3, reweight = TRUE, alpha = 0.05, trend = TRUE, limit54 = c(5, 4),
            powertrans = "2/3", glmWarnings = FALSE)
if (args[2] == "farrington1996") {
  res <- farringtonFlexible(S, control = modifyList(far, list(weightsThreshold = 1, pThresholdTrend = 0.05,
    noPeriods = 1, pastWeeksNotIncluded = 3, thresholdMethod = "delta")))
} else if (args[2] == "noufaily2013") {
  res <- farringtonFlexible(S, control = modifyList(far, list(weightsThreshold = 2.58, pThresholdTrend = 1,
    noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin")))
} else if (args[2] == "cusum") {
  # cusum() prints a line per series; the printing is kept out of the timing's output, not out of the timing.
  invisible(capture.output(res <- cusum(S, control = list(range = rng, k = 1.04, h = 2.26, m = NULL, trans = "standard"))))
} else {
  res <- earsC(S, control = list(range = rng, method = args[2], baseline = 7, minSigma = 0,
                                 alpha = if (args[2] == "C3") 0.025 else 0.001))
}
el <- proc.time()[["elapsed"]] - t0
cat(sprintf("R surveillance %s: %d series in %.3f s (%d alarms)\n", args[2], length(ids), el, sum(alarms(res), na.rm = TRUE)))
