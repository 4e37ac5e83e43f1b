r"""Equity statistics beyond the coefficient of variation, over schools weighted by students.

Every function takes each school's value :math:`x_i` (e.g. books per student) and its
enrollment :math:`w_i`, with the conventions of :func:`eduequity.weighted_cv`: the population
form, and **a school of** :math:`w_i` **students counts as** :math:`w_i` **students with the same
value** (so each measure equals the unweighted measure over the students, replicated). With
:math:`W = \sum w_i` and :math:`\mu = \sum w_i x_i / W`:

- inequality indices: :func:`gini`, :func:`theil` (GE(1)), :func:`mean_log_deviation` (GE(0)),
  :func:`generalized_entropy`, :func:`atkinson`;
- the school-finance measures of Berne & Stiefel: :func:`mcloone`, :func:`verstegen`,
  :func:`range_ratio`, :func:`federal_range_ratio`, :func:`restricted_range`,
  :func:`percentile_ratio`, on weighted percentiles (:func:`weighted_percentile`, the lower
  definition);
- :func:`unweighted_cv` and :func:`sample_cv`, under explicit names, to compare with software
  that ignores the weights or divides by :math:`n - 1`;
- :func:`decompose`: the generalized entropy family split exactly into between- and
  within-group parts;
- :func:`lorenz_curve` and its picture :func:`plot_lorenz` (the optional ``plot`` extra);
- :func:`bootstrap_ci`, :func:`bootstrap_difference` and, for every group at once,
  :func:`grouped_bootstrap`: seeded percentile bootstrap intervals.

Undefined measures and errors (the rule of every measure here, of
:func:`eduequity.weighted_cv` and of the grouped forms):

- **Bad input raises** :class:`~eduequity.DataError`: values and weights of different lengths,
  a value negative or not finite, a weight not finite and positive, a parameter out of its
  range (``epsilon < 0``, a percentile outside (0, 1], an unknown measure).
- **An undefined statistic is NaN**, never an error: no school; a mean of 0 (every value 0);
  a measure that takes the values' logarithm or a negative power of them, or divides by the
  lowest, where a value is 0 (:func:`mean_log_deviation`, :func:`generalized_entropy` with
  :math:`\alpha \le 0`, :func:`atkinson` with :math:`\varepsilon \ge 1`,
  :func:`range_ratio`); a ratio to a percentile or median of 0 (:func:`percentile_ratio`,
  :func:`federal_range_ratio`, :func:`mcloone`, :func:`verstegen`); :func:`sample_cv` of fewer
  than two schools. A statistic that is defined stays a number: the percentiles and
  :func:`restricted_range` of schools that all have 0 are 0.
- The Lorenz curve and the bootstraps are not statistics: they refuse (``DataError``) input
  with no school or a mean of 0, where there is no curve to draw or nothing to resample.

Where packages disagree: PySAL's Gini, Theil and Atkinson take no weights; IneqPy's weighted
Gini is not the replication one used here; R DescTools divides by :math:`\sum w - 1`.

References
----------
- L. Berne, R. Stiefel, *The Measurement of Equity in School Finance* (1984).
- A. F. Shorrocks, "The class of additively decomposable inequality measures",
  *Econometrica* 48 (1980) 613–625.
- A. B. Atkinson, "On the measurement of inequality", *J. Econ. Theory* 2 (1970) 244–263.
"""

from __future__ import annotations

from eduequity.equity._bootstrap import bootstrap_ci, bootstrap_difference, grouped_bootstrap
from eduequity.equity._grouped import GROUPED, grouped_measures
from eduequity.equity._lorenz import lorenz_curve, plot_lorenz
from eduequity.equity._measures import (
    atkinson,
    decompose,
    federal_range_ratio,
    generalized_entropy,
    gini,
    mcloone,
    mean_log_deviation,
    percentile_ratio,
    range_ratio,
    restricted_range,
    sample_cv,
    theil,
    unweighted_cv,
    verstegen,
    weighted_percentile,
)

__all__ = [
    "GROUPED",
    "atkinson",
    "bootstrap_ci",
    "bootstrap_difference",
    "decompose",
    "federal_range_ratio",
    "generalized_entropy",
    "gini",
    "grouped_bootstrap",
    "grouped_measures",
    "lorenz_curve",
    "mcloone",
    "mean_log_deviation",
    "percentile_ratio",
    "plot_lorenz",
    "range_ratio",
    "restricted_range",
    "sample_cv",
    "theil",
    "unweighted_cv",
    "verstegen",
    "weighted_percentile",
]


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
