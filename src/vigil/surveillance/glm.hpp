#pragma once
// Poisson / quasi-Poisson regression with log link, fitted by iteratively reweighted least squares exactly as
// R's glm.fit does (start mu = y + 0.1, stop when the relative change in deviance is below 1e-8, at most 25
// iterations, means floored at the machine epsilon as R's poisson()$linkinv). Internal to the surveillance
// module (it includes Eigen); written by hand because the references are matched to R's iteration, not just
// to the maximum-likelihood estimate.
#include <limits>

#include <Eigen/Dense>

namespace vigil::surveillance {

struct PoissonIrls {
    Eigen::VectorXd beta, mu, eta;
    Eigen::VectorXd
        work_w; // working weights of the last iteration (prior * mu before its update), as glm.fit
    Eigen::MatrixXd cov_unscaled; // (X' W X)^-1 with those weights: summary.glm's and predict.glm's
    double dispersion = std::numeric_limits<double>::quiet_NaN(); // Pearson estimate, as summary.glm
    int df_residual = 0;
    int iterations = 0;
    bool converged =
        false; // false after 25 iterations: the last iterate is returned, as R does (with a warning)
};

// X includes the intercept column; prior: prior weights (ones for none); offset added to the linear
// predictor. Throws kData for a singular design or a deviance that is not finite.
PoissonIrls FitPoissonIrls(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& prior,
                           const Eigen::VectorXd& offset);

} // namespace vigil::surveillance
