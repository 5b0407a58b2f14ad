#include "vigil/surveillance/glm.hpp"

#include <cmath>

#include "vigil/core/error.hpp"
#include "vigil/surveillance/aberration.hpp"

namespace vigil::surveillance {

PoissonIrls FitPoissonIrls(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& prior,
                           const Eigen::VectorXd& offset) {
    const Eigen::Index n = X.rows(), p = X.cols();
    auto deviance = [&](const Eigen::VectorXd& mu) {
        double d = 0;
        for (Eigen::Index i = 0; i < n; ++i)
            d += prior(i) * ((y(i) > 0 ? y(i) * std::log(y(i) / mu(i)) : 0.0) - (y(i) - mu(i)));
        return 2 * d;
    };
    PoissonIrls g;
    g.eta = (y.array() + 0.1).log().matrix(); // linkfun(mustart), the offset not added (as R)
    g.mu = g.eta.unaryExpr(&PoissonMean);
    double dev_old = deviance(g.mu);
    Eigen::VectorXd w(n);
    Eigen::MatrixXd Xw;
    for (int iter = 1; iter <= 25; ++iter) {
        Eigen::VectorXd z(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const double mu_eta = PoissonMean(g.eta(i));
            z(i) = (g.eta(i) - offset(i)) + (y(i) - g.mu(i)) / mu_eta;
            w(i) = std::sqrt(prior(i) * mu_eta * mu_eta / g.mu(i));
        }
        Xw = w.asDiagonal() * X;
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(Xw);
        qr.setThreshold(1e-11);
        if (qr.rank() < p)
            ThrowData("the GLM's design is singular (too few distinct periods in the data)");
        g.beta = qr.solve((w.array() * z.array()).matrix());
        g.eta = X * g.beta + offset;
        g.mu = g.eta.unaryExpr(&PoissonMean);
        const double dev = deviance(g.mu);
        if (!std::isfinite(dev))
            ThrowData("the GLM fit diverged");
        g.iterations = iter;
        if (std::abs(dev - dev_old) / (std::abs(dev) + 0.1) < 1e-8) {
            g.converged = true;
            break;
        }
        dev_old = dev;
    }
    g.work_w = w.array().square();
    g.cov_unscaled = (Xw.transpose() * Xw).inverse();
    int n_ok = 0;
    double pearson = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (prior(i) != 0)
            ++n_ok;
        const double r = (y(i) - g.mu(i)) / PoissonMean(g.eta(i));
        if (g.work_w(i) > 0)
            pearson += g.work_w(i) * r * r;
    }
    g.df_residual = n_ok - static_cast<int>(p);
    g.dispersion = g.df_residual > 0 ? pearson / g.df_residual : std::numeric_limits<double>::quiet_NaN();
    return g;
}

} // namespace vigil::surveillance
