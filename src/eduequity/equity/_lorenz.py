"""The Lorenz curve of a resource over students, and its picture (the optional ``plot`` extra)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import MissingExtraError
from eduequity.equity._measures import _inputs

__all__ = ["lorenz_curve", "plot_lorenz"]

FloatArray = NDArray[np.float64]


def lorenz_curve(
    values: ArrayLike, weights: ArrayLike | None = None
) -> tuple[FloatArray, FloatArray]:
    r"""The Lorenz curve: the share of the resource held by the poorest share of students.

    Parameters
    ----------
    values : array of float, shape (n,)
        Each school's value per student (finite, >= 0, not all 0).
    weights : array of float, shape (n,), optional
        Each school's enrollment (> 0); default 1 each.

    Returns
    -------
    students, resource : array of float, shape (n + 1,)
        With the schools in ascending order of value, the cumulative share of the students
        :math:`F_k = \sum_{i \le k} P_i / \sum P` and of the resource
        :math:`L_k = \sum_{i \le k} P_i x_i / \sum P x`, from (0, 0) to (1, 1). Between two
        points the curve is straight (the students of one school hold equal shares).

    Notes
    -----
    The Gini coefficient is one minus twice the area under the curve,
    :math:`G = 1 - \sum_k (F_k - F_{k-1})(L_k + L_{k-1})` (exact for the piecewise-linear
    curve; :func:`~eduequity.equity.gini` gives the same value from the mean difference).
    The diagonal is equality; the further the curve sags below it, the larger the Gini.

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *Publications of
    the American Statistical Association*, 9(70), 209–219.

    Examples
    --------
    Two schools of 100 pupils with 2 and 6 books each: the poorer half of the pupils holds a
    quarter of the books.

    >>> students, books = lorenz_curve([2.0, 6.0], [100, 100])
    >>> students.tolist(), books.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.25, 1.0])
    """
    x, w = _inputs(values, weights, "lorenz_curve")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    students = np.concatenate([[0.0], np.cumsum(w)])
    resource = np.concatenate([[0.0], np.cumsum(w * x)])
    return students / students[-1], resource / resource[-1]


def plot_lorenz(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    ax: Any = None,
    label: str | None = None,
) -> Any:
    """Draw the Lorenz curve of :func:`lorenz_curve` (and the diagonal) on a matplotlib axes.

    Needs the optional extra ``plot`` (``pip install 'eduequity[plot]'``).

    Parameters
    ----------
    values, weights : array of float
        As for :func:`lorenz_curve`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure's axes). Call again with the same ``ax`` to
        compare counties or years.
    label : str, optional
        The curve's legend label.

    Returns
    -------
    matplotlib.axes.Axes
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError(
            "plot_lorenz needs matplotlib: pip install 'eduequity[plot]' (lorenz_curve gives "
            "the points without it)."
        ) from None
    students, resource = lorenz_curve(values, weights)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
        ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="equality")
        ax.set_xlabel("share of students")
        ax.set_ylabel("share of the resource")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
    ax.plot(students, resource, marker=".", label=label)
    if label is not None:
        ax.legend(fontsize=8)
    return ax
