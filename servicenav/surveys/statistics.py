"""The statistics behind survey results: indices with margins of error, shares, changes
between rounds, multiple-testing correction, small-cell suppression and the priority matrix.

Pure functions on numpy arrays and plain numbers, no Django: services and views decide what
to compute and how to show it, this module only computes. The formulas are implemented here,
not borrowed from scipy.stats or statsmodels, so the tests can check them against those
independent implementations; scipy is used only for t and normal quantiles and CDFs.

Conventions that hold throughout:

- A missing answer is NaN. Estimates drop it, so callers can pass one column per question
  with gaps in it.
- Indices and shares are on 0–100 (index points, percent), the scale they are shown on;
  differences of shares are in percentage points.
- A comparison is always *new minus old*: the arguments go (old, new), so a positive
  difference means the result went up.
- Intervals are two-sided, 95 % by default. Sampling is treated as simple random sampling
  from a large population: no finite-population correction, no weights, no design effect.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
Key = TypeVar("Key", bound=Hashable)

INDEX_MIN = 0.0
INDEX_MAX = 100.0
EFFECT_STEP = 5.0
"""Index points an area is imagined to improve by when its effect is stated: SCB's effektmått
reads "the overall index rises this much if the area's index rises by 5"."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval, on the scale it is shown on."""

    value: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """The ± to print next to the value (Kolada's osäkerhetstal).

        Half the interval's width, because Wilson intervals and intervals clipped at the end
        of the scale are not symmetric around the value."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class Comparison:
    """How much a result changed between two rounds, and whether chance can explain it.

    `difference` is new − old in the unit of the input (index points, or percentage points
    for shares); None when a round has no answers. `low`/`high` bound the difference, and
    `p_value` is two-sided; each is None when the data cannot support it (see the function).
    A None p-value must be shown as "cannot be tested", never as "no significant change".
    `statistic` (t or z) has the sign of the difference."""

    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    statistic: float | None
    n_old: int
    n_new: int
    degrees_of_freedom: float | None = None

    @property
    def testable(self) -> bool:
        return self.p_value is not None


# --- Validation and small helpers --------------------------------------------------------


def _upper_tail_probability(confidence: float) -> float:
    """The quantile a two-sided interval with this confidence reaches up to, e.g. 0.975."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return 0.5 + confidence / 2


def _normal_quantile(confidence: float) -> float:
    return float(special.ndtri(_upper_tail_probability(confidence)))


def _t_quantile(confidence: float, degrees_of_freedom: float) -> float:
    return float(special.stdtrit(degrees_of_freedom, _upper_tail_probability(confidence)))


def _check_scale(scale_min: float, scale_max: float) -> None:
    if not scale_max > scale_min:
        raise ValueError(f"scale {scale_min}..{scale_max} must run from low to high")


def _check_within_scale(answers: FloatArray, scale_min: float, scale_max: float) -> None:
    # An answer outside the scale is a data error upstream; averaging it in would hide it.
    # NaN compares False both ways, so missing answers pass.
    if np.any((answers < scale_min) | (answers > scale_max)):
        raise ValueError(f"answers must lie on the scale {scale_min}..{scale_max}")


def _check_count(successes: int, n: int) -> None:
    if not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")


def _answers(values: npt.ArrayLike) -> FloatArray:
    """The given answers as a one-dimensional float array without the missing ones."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"expected one answer per respondent (1-D), got shape {array.shape}")
    return array[~np.isnan(array)]


def _varies(answers: FloatArray) -> bool:
    # Compare extremes, not the variance: the variance of identical non-integer scores
    # (e.g. 33.33… on a 1–4 scale) comes out as rounding noise instead of exactly 0.
    return bool(answers.max() > answers.min())


# --- Indices and means -------------------------------------------------------------------


def index_scores(values: npt.ArrayLike, scale_min: float, scale_max: float) -> FloatArray:
    """Each answer on the scale_min..scale_max scale as index points, (x − a)/(b − a) × 100.

    This is SKR's and SCB's map: on 1–5, 5 → 100, 4 → 75, …, 1 → 0; on 1–10,
    (x − 1) × 100/9. The mean of the scores is the index. Missing answers stay NaN, so the
    scores keep the respondents' order, which the regression needs."""
    _check_scale(scale_min, scale_max)
    answers = np.asarray(values, dtype=np.float64)
    _check_within_scale(answers, scale_min, scale_max)
    return (answers - scale_min) / (scale_max - scale_min) * 100


def mean_estimate(
    values: npt.ArrayLike, scale_min: float, scale_max: float, confidence: float = 0.95
) -> Estimate | None:
    """The mean answer with a t interval, mean ± t(1 − α/2, n − 1) · s/√n.

    None without answers. With a single answer the spread is unknown, so the interval is the
    whole scale: a zero-width interval would look certain when nothing is known. The interval
    is clipped to the scale because the mean cannot leave it, and a printed "103" would only
    confuse; the clipped interval loses no coverage."""
    _check_scale(scale_min, scale_max)
    answers = _answers(values)
    _check_within_scale(answers, scale_min, scale_max)
    n = int(answers.size)
    if n == 0:
        return None
    mean = float(answers.mean())
    if n == 1:
        return Estimate(value=mean, low=float(scale_min), high=float(scale_max), n=1)
    standard_error = float(answers.std(ddof=1)) / math.sqrt(n)
    half_width = _t_quantile(confidence, n - 1) * standard_error
    return Estimate(
        value=mean,
        low=max(mean - half_width, float(scale_min)),
        high=min(mean + half_width, float(scale_max)),
        n=n,
    )


def index_estimate(
    values: npt.ArrayLike, scale_min: float, scale_max: float, confidence: float = 0.95
) -> Estimate | None:
    """The index (0–100) of answers on scale_min..scale_max with its t interval.

    The same estimate as `mean_estimate` on the index scores; with one answer the interval is
    0–100. Worked example from SCB practice: on 1–10 with s = 2.2 and n = 400 the margin is
    about ±2.4 index points."""
    return mean_estimate(
        index_scores(values, scale_min, scale_max), INDEX_MIN, INDEX_MAX, confidence
    )


# --- Shares ------------------------------------------------------------------------------


def _wilson_limits(share: float, n: int, z: float) -> tuple[float, float]:
    """Wilson's score interval for a share, as fractions 0–1."""
    z2_over_n = z * z / n
    centre = (share + z2_over_n / 2) / (1 + z2_over_n)
    half_width = z * math.sqrt(share * (1 - share) / n + z2_over_n / (4 * n)) / (1 + z2_over_n)
    # At shares of 0 and 1 the near limit is exactly that end; computed, it is off by rounding.
    low = 0.0 if share == 0 else max(centre - half_width, 0.0)
    high = 1.0 if share == 1 else min(centre + half_width, 1.0)
    return low, high


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Estimate | None:
    """The share of successes in percent (0–100) with Wilson's score interval.

    Wilson rather than the textbook p ± z·√(p(1−p)/n): that Wald interval collapses to zero
    width at 0 % and 100 % and undercovers for the small n of sub-groups. None when n is 0."""
    _check_count(successes, n)
    if n == 0:
        return None
    low, high = _wilson_limits(successes / n, n, _normal_quantile(confidence))
    return Estimate(value=100 * successes / n, low=100 * low, high=100 * high, n=n)


# --- Changes between rounds --------------------------------------------------------------


def _without_test(difference: float | None, n_old: int, n_new: int) -> Comparison:
    return Comparison(
        difference=difference,
        low=None,
        high=None,
        p_value=None,
        statistic=None,
        n_old=n_old,
        n_new=n_new,
    )


def _welch(old: FloatArray, new: FloatArray, difference: float, confidence: float) -> Comparison:
    """Welch's t-test and interval for groups that both have at least two answers."""
    n_old, n_new = int(old.size), int(new.size)
    variance_old = float(old.var(ddof=1)) / n_old
    variance_new = float(new.var(ddof=1)) / n_new
    variance = variance_old + variance_new
    degrees_of_freedom = variance**2 / (
        variance_old**2 / (n_old - 1) + variance_new**2 / (n_new - 1)
    )
    standard_error = math.sqrt(variance)
    statistic = difference / standard_error
    half_width = _t_quantile(confidence, degrees_of_freedom) * standard_error
    return Comparison(
        difference=difference,
        low=difference - half_width,
        high=difference + half_width,
        p_value=float(2 * special.stdtr(degrees_of_freedom, -abs(statistic))),
        statistic=statistic,
        n_old=n_old,
        n_new=n_new,
        degrees_of_freedom=degrees_of_freedom,
    )


def welch_test(old: npt.ArrayLike, new: npt.ArrayLike, confidence: float = 0.95) -> Comparison:
    """The change in mean from `old` to `new` (new − old) with Welch's t-test and interval.

    Welch rather than Student because rounds differ in size and spread. Pass index scores to
    compare indices. Degenerate data gives a Comparison without a test instead of an error:
    no answers in a round → nothing at all; fewer than two answers in a round, or every
    answer identical in both rounds → the difference only, since there is no spread to
    judge it against (t would be undefined or infinite)."""
    before, after = _answers(old), _answers(new)
    n_old, n_new = int(before.size), int(after.size)
    if n_old == 0 or n_new == 0:
        return _without_test(None, n_old, n_new)
    difference = float(after.mean() - before.mean())
    if n_old < 2 or n_new < 2 or not (_varies(before) or _varies(after)):
        return _without_test(difference, n_old, n_new)
    return _welch(before, after, difference, confidence)


def _pooled_z_test(
    successes_old: int, n_old: int, successes_new: int, n_new: int
) -> tuple[float | None, float | None]:
    """(z, two-sided p) of the classic pooled two-proportion test; (None, None) when the
    pooled share is 0 or 1, because then the test has no variance to work with."""
    pooled = (successes_old + successes_new) / (n_old + n_new)
    if pooled in (0.0, 1.0):
        return None, None
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n_old + 1 / n_new))
    statistic = (successes_new / n_new - successes_old / n_old) / standard_error
    return statistic, float(2 * special.ndtr(-abs(statistic)))


def two_proportion_test(
    successes_old: int,
    n_old: int,
    successes_new: int,
    n_new: int,
    confidence: float = 0.95,
) -> Comparison:
    """The change in a share between two rounds, in percentage points (new − old).

    The interval is Newcombe's hybrid score interval built from the two Wilson intervals; it
    stays sensible near 0 % and 100 % where the Wald interval fails. The p-value is the
    classic pooled z-test. No answers in a round → nothing at all; everyone or no one
    answering "yes" in both rounds → the interval but no p-value (the pooled z-test has zero
    variance), since the interval still shows how large a change the data rule out."""
    _check_count(successes_old, n_old)
    _check_count(successes_new, n_new)
    if n_old == 0 or n_new == 0:
        return _without_test(None, n_old, n_new)
    share_old, share_new = successes_old / n_old, successes_new / n_new
    z = _normal_quantile(confidence)
    low_old, high_old = _wilson_limits(share_old, n_old, z)
    low_new, high_new = _wilson_limits(share_new, n_new, z)
    difference = share_new - share_old
    low = difference - math.hypot(share_new - low_new, high_old - share_old)
    high = difference + math.hypot(high_new - share_new, share_old - low_old)
    statistic, p_value = _pooled_z_test(successes_old, n_old, successes_new, n_new)
    return Comparison(
        difference=100 * difference,
        low=100 * low,
        high=100 * high,
        p_value=p_value,
        statistic=statistic,
        n_old=n_old,
        n_new=n_new,
    )


# --- Many comparisons at once ------------------------------------------------------------


def _benjamini_hochberg_adjust(p_values: FloatArray) -> FloatArray:
    count = p_values.size
    order = np.argsort(p_values, kind="stable")
    scaled = p_values[order] * count / np.arange(1, count + 1)
    # Step-up: each adjusted value is the smallest scaled value at its rank or above.
    monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(count, dtype=np.float64)
    adjusted[order] = np.minimum(monotone, 1.0)
    return adjusted


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg adjusted p-values, in the order given.

    A report tests many questions at once, and at 5 % one in twenty unchanged questions would
    otherwise "change". BH keeps the expected share of false discoveries at α and is less
    strict than Holm, which suits a report that points where to look. None (a comparison that
    could not be tested) passes through and does not count as a test."""
    positions = [i for i, p in enumerate(p_values) if p is not None]
    tested = np.array([p_values[i] for i in positions], dtype=np.float64)
    if np.any(np.isnan(tested) | (tested < 0) | (tested > 1)):
        raise ValueError("p-values must lie in 0..1; use None for a comparison not tested")
    adjusted: list[float | None] = list(p_values)
    if positions:
        for position, value in zip(positions, _benjamini_hochberg_adjust(tested), strict=True):
            adjusted[position] = float(value)
    return adjusted


def significant(adjusted: Sequence[float | None], alpha: float = 0.05) -> list[bool]:
    """Which adjusted p-values are at most α. A comparison that could not be tested (None) is
    never reported as a significant change."""
    return [p is not None and p <= alpha for p in adjusted]


# --- Small cells -------------------------------------------------------------------------


def suppress_small_cells(counts: Mapping[Key, int], minimum: int) -> set[Key]:
    """The group cells to hide in a breakdown that also shows the total of all groups.

    Primary: every cell with fewer than `minimum` answers (SKR Insikt uses 7). That includes
    empty cells: they have no result to show, but they reveal nothing either, so they never
    count as protecting another cell.

    Secondary: whatever is hidden can be recovered as a whole by subtracting the shown cells
    from the total. So the hidden cells with answers must together hold either nothing or at
    least `minimum` answers; otherwise the smallest shown cell is hidden too. One small cell
    always draws a second one (it alone would equal total minus shown), and two small cells
    draw a third when together they are still below the minimum (3 + 2 answers derived by
    subtraction are a group of 5). Each shown cell has at least `minimum` answers, so one
    extra cell always suffices, when one is left.

    The total follows the same rule: show it only when it has at least `minimum` answers.
    When no shown cell is left to hide, every cell with answers is hidden and their sum is the
    total, which is then below the minimum itself — so a shown total never reveals a hidden
    cell. Ties between equally small cells go to the one that comes first in `counts`."""
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, got {minimum}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("counts cannot be negative")
    hidden = {key for key, n in counts.items() if n < minimum}
    hidden_answers = sum(counts[key] for key in hidden)
    shown = [key for key in counts if key not in hidden]
    if 0 < hidden_answers < minimum and shown:
        hidden.add(min(shown, key=counts.__getitem__))
    return hidden


# --- Priority matrix ---------------------------------------------------------------------


@dataclass(frozen=True)
class Regression:
    """An ordinary least squares fit of an outcome on predictor columns, with an intercept.

    `r_squared` is the share of the outcome's variance the predictors explain ("modellens
    förklaringsgrad"); None when the outcome does not vary. `identified` is False when the
    predictors are collinear (e.g. two areas always rated alike): the coefficients are then
    the minimum-norm solution, which splits the shared effect between them, not a unique one."""

    coefficients: tuple[float, ...]
    intercept: float
    r_squared: float | None
    n: int
    identified: bool

    def effects(self, step: float = EFFECT_STEP) -> tuple[float, ...]:
        """Index points the outcome moves if each predictor rises by `step` (SCB's effektmått)."""
        return tuple(coefficient * step for coefficient in self.coefficients)


def _r_squared(outcome: FloatArray, fitted: FloatArray) -> float | None:
    if not _varies(outcome):
        return None
    residual = float(np.sum((outcome - fitted) ** 2))
    total = float(np.sum((outcome - outcome.mean()) ** 2))
    return 1 - residual / total


def _complete_rows(outcome: FloatArray, predictors: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The rows with every value present: a respondent who skipped an area cannot inform it."""
    if outcome.ndim != 1 or predictors.shape[0] != outcome.size:
        raise ValueError("need one outcome and one row of predictors per respondent")
    complete = ~np.isnan(outcome) & ~np.isnan(predictors).any(axis=1)
    return outcome[complete], predictors[complete]


def regression(outcome: npt.ArrayLike, predictors: npt.ArrayLike) -> Regression | None:
    """Regress `outcome` (e.g. each respondent's overall index) on the columns of `predictors`
    (their area indices, one row per respondent), using only rows with every value present.

    This is derived importance, our stand-in for SCB's effektmått, not SCB's latent-variable
    estimator. None when there are fewer complete rows than parameters + 1: with no residual
    left, any fit is perfect and says nothing."""
    columns_of_predictors = np.asarray(predictors, dtype=np.float64)
    if columns_of_predictors.ndim == 1:
        columns_of_predictors = columns_of_predictors[:, np.newaxis]
    y, x = _complete_rows(np.asarray(outcome, dtype=np.float64), columns_of_predictors)
    n, columns = x.shape
    if n < columns + 2:
        return None
    design = np.column_stack([np.ones(n), x])
    solution, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    return Regression(
        coefficients=tuple(float(value) for value in solution[1:]),
        intercept=float(solution[0]),
        r_squared=_r_squared(y, design @ solution),
        n=int(n),
        identified=int(rank) == columns + 1,
    )


class Quadrant(StrEnum):
    """Where an area lands in SCB's prioriteringsmatris. The values are stable codes; the
    Swedish labels belong in templates: "Prioritera!", "Bevara", "Förbättra om möjligt",
    "Lägre prioritet"."""

    PRIORITISE = "prioritise"  # High effect, low index: improving it lifts the whole most.
    KEEP = "keep"  # High effect, high index: it carries the overall result.
    IMPROVE_IF_POSSIBLE = "improve_if_possible"  # Low effect, low index.
    LOWER_PRIORITY = "lower_priority"  # Low effect, high index.


@dataclass(frozen=True)
class AreaPosition:
    """An area's place in the priority matrix: its effect (x) and its index (y)."""

    effect: float
    index: float


def priority_quadrant(
    effect: float, index: float, effect_split: float, index_split: float
) -> Quadrant:
    """The quadrant of an area; a value exactly on a split line counts as high."""
    high_effect = effect >= effect_split
    high_index = index >= index_split
    if high_effect:
        return Quadrant.KEEP if high_index else Quadrant.PRIORITISE
    return Quadrant.LOWER_PRIORITY if high_index else Quadrant.IMPROVE_IF_POSSIBLE


def quadrants(
    areas: Mapping[Key, AreaPosition],
    *,
    effect_split: float | None = None,
    index_split: float | None = None,
) -> dict[Key, Quadrant]:
    """The quadrant of every area. The split lines default to the medians of the areas, so
    "high" means "high compared with this survey's other areas"; medians rather than SCB's
    means so that one extreme area does not move every other area's quadrant."""
    if not areas:
        return {}
    if effect_split is None:
        effect_split = float(np.median([area.effect for area in areas.values()]))
    if index_split is None:
        index_split = float(np.median([area.index for area in areas.values()]))
    return {
        key: priority_quadrant(area.effect, area.index, effect_split, index_split)
        for key, area in areas.items()
    }
