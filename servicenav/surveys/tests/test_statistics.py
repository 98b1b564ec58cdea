"""The survey statistics agree with independent implementations (scipy, statsmodels), with
worked examples by hand, and behave sensibly on degenerate data."""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import (
    multipletests,
)
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from servicenav.surveys.statistics import (
    AreaPosition,
    Estimate,
    Quadrant,
    benjamini_hochberg,
    index_estimate,
    index_scores,
    mean_estimate,
    priority_quadrant,
    quadrants,
    regression,
    significant,
    suppress_small_cells,
    two_proportion_test,
    welch_test,
    wilson_interval,
)

TIGHT = 1e-9


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def answers_1_to_5(generator: np.random.Generator, size: int, lean: float = 0.0) -> np.ndarray:
    """Integer answers on 1–5, more often high when `lean` is positive."""
    weights = np.exp(lean * np.arange(5))
    return generator.choice(np.arange(1, 6), size=size, p=weights / weights.sum()).astype(float)


# --- Indices -----------------------------------------------------------------------------


def test_index_scores_map_a_1_to_5_scale_onto_0_25_50_75_100() -> None:
    assert index_scores([1, 2, 3, 4, 5], 1, 5).tolist() == [0, 25, 50, 75, 100]


def test_index_scores_on_1_to_10_match_scbs_example_7_5_is_72() -> None:
    assert index_scores([7.5], 1, 10)[0] == pytest.approx(72.22, abs=0.01)


def test_index_of_answers_5_4_4_3_on_1_to_5_is_75() -> None:
    # Scores 100, 75, 75, 50.
    estimate = index_estimate([5, 4, 4, 3], 1, 5)
    assert estimate is not None
    assert estimate.value == pytest.approx(75, rel=TIGHT)
    assert estimate.n == 4


def test_index_of_answers_5_4_3_3_on_1_to_5_is_68_75() -> None:
    # Scores 100, 75, 50, 50.
    estimate = index_estimate([5, 4, 3, 3], 1, 5)
    assert estimate is not None
    assert estimate.value == pytest.approx(68.75, rel=TIGHT)


def test_index_scores_keep_missing_answers_in_place() -> None:
    scores = index_scores([5, np.nan, 1], 1, 5)
    assert scores[0] == 100
    assert math.isnan(scores[1])
    assert scores[2] == 0


@pytest.mark.parametrize("answers", [[0, 3], [3, 6], [3.0, 5.5]])
def test_answers_outside_the_scale_are_rejected(answers: list[float]) -> None:
    with pytest.raises(ValueError, match="scale"):
        index_estimate(answers, 1, 5)


def test_a_scale_must_run_from_low_to_high() -> None:
    with pytest.raises(ValueError, match="scale"):
        index_scores([3], 5, 1)


@pytest.mark.parametrize(("seed", "size"), [(1, 12), (2, 150), (3, 4000)])
def test_index_interval_matches_scipys_t_interval(seed: int, size: int) -> None:
    answers = answers_1_to_5(rng(seed), size, lean=0.3)
    scores = (answers - 1) / 4 * 100
    expected_low, expected_high = stats.t.interval(
        0.95, size - 1, loc=scores.mean(), scale=stats.sem(scores)
    )
    estimate = index_estimate(answers, 1, 5)
    assert estimate is not None
    assert estimate.value == pytest.approx(scores.mean(), rel=TIGHT)
    assert estimate.low == pytest.approx(expected_low, rel=TIGHT)
    assert estimate.high == pytest.approx(expected_high, rel=TIGHT)
    assert estimate.n == size


def test_other_confidence_levels_match_scipy() -> None:
    answers = answers_1_to_5(rng(4), 80)
    scores = (answers - 1) / 4 * 100
    expected = stats.t.interval(0.9, 79, loc=scores.mean(), scale=stats.sem(scores))
    estimate = index_estimate(answers, 1, 5, confidence=0.9)
    assert estimate is not None
    assert (estimate.low, estimate.high) == pytest.approx(expected, rel=TIGHT)


def test_worked_example_1_to_10_with_s_2_2_and_n_400_gives_about_2_4_points() -> None:
    # 200 answers on either side of 5.5, spread so that the sample SD is exactly 2.2.
    distance = 2.2 * math.sqrt(399 / 400)
    answers = np.repeat([5.5 - distance, 5.5 + distance], 200)
    assert answers.std(ddof=1) == pytest.approx(2.2, rel=TIGHT)
    estimate = index_estimate(answers, 1, 10)
    assert estimate is not None
    assert estimate.half_width == pytest.approx(2.4, abs=0.01)
    standard_error = 100 / 9 * 2.2 / 20
    assert estimate.half_width == pytest.approx(stats.t.ppf(0.975, 399) * standard_error)


def test_mean_estimate_on_the_raw_scale_matches_scipy() -> None:
    answers = rng(5).integers(1, 11, size=300).astype(float)
    expected = stats.t.interval(0.95, 299, loc=answers.mean(), scale=stats.sem(answers))
    estimate = mean_estimate(answers, 1, 10)
    assert estimate is not None
    assert estimate.value == pytest.approx(answers.mean(), rel=TIGHT)
    assert (estimate.low, estimate.high) == pytest.approx(expected, rel=TIGHT)


@pytest.mark.parametrize("answers", [[], [np.nan, np.nan]])
def test_no_answers_give_no_estimate(answers: list[float]) -> None:
    assert index_estimate(answers, 1, 5) is None
    assert mean_estimate(answers, 1, 5) is None


def test_one_answer_gives_the_whole_scale_as_its_interval() -> None:
    assert index_estimate([4], 1, 5) == Estimate(value=75, low=0, high=100, n=1)
    assert mean_estimate([4], 1, 5) == Estimate(value=4, low=1, high=5, n=1)


def test_identical_answers_give_a_zero_width_interval() -> None:
    estimate = index_estimate(np.full(50, 3.0), 1, 5)
    assert estimate == Estimate(value=50, low=50, high=50, n=50)
    assert estimate.half_width == 0


def test_the_interval_is_clipped_to_the_ends_of_the_index() -> None:
    estimate = index_estimate([5, 5, 5, 4], 1, 5)
    assert estimate is not None
    assert estimate.high == 100
    unclipped = stats.t.interval(0.95, 3, loc=93.75, scale=stats.sem([100, 100, 100, 75]))
    assert estimate.low == pytest.approx(unclipped[0], rel=TIGHT)


def test_missing_answers_are_left_out_of_the_index() -> None:
    estimate = index_estimate([5, np.nan, 4, 3, np.nan, 3], 1, 5)
    assert estimate is not None
    assert estimate.value == pytest.approx(68.75, rel=TIGHT)
    assert estimate.n == 4


def test_confidence_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="confidence"):
        index_estimate([3, 4], 1, 5, confidence=95)


# --- Shares ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n"), [(0, 5), (5, 5), (1, 7), (37, 52), (412, 1000), (3, 900)]
)
def test_wilson_interval_matches_statsmodels(successes: int, n: int) -> None:
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    estimate = wilson_interval(successes, n)
    assert estimate is not None
    assert estimate.value == pytest.approx(100 * successes / n, rel=TIGHT)
    assert estimate.low == pytest.approx(100 * low, rel=TIGHT, abs=1e-9)
    assert estimate.high == pytest.approx(100 * high, rel=TIGHT)
    assert estimate.n == n


def test_wilson_interval_of_nobody_is_no_estimate() -> None:
    assert wilson_interval(0, 0) is None


def test_wilson_interval_stays_within_0_and_100_percent() -> None:
    for n in range(1, 60):
        for estimate in (wilson_interval(0, n), wilson_interval(n, n)):
            assert estimate is not None
            assert 0 <= estimate.low <= estimate.value <= estimate.high <= 100


def test_more_successes_than_answers_are_rejected() -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(6, 5)


# --- Welch's t-test ----------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "n_old", "n_new"), [(10, 30, 45), (11, 400, 380), (12, 5, 9)])
def test_welch_test_matches_scipys_unequal_variance_t_test(
    seed: int, n_old: int, n_new: int
) -> None:
    generator = rng(seed)
    old = index_scores(answers_1_to_5(generator, n_old), 1, 5)
    new = index_scores(answers_1_to_5(generator, n_new, lean=0.4), 1, 5)
    expected = stats.ttest_ind(new, old, equal_var=False)
    expected_interval = expected.confidence_interval(confidence_level=0.95)

    comparison = welch_test(old, new)

    assert comparison.difference == pytest.approx(new.mean() - old.mean(), rel=TIGHT)
    assert comparison.statistic == pytest.approx(expected.statistic, rel=TIGHT)
    assert comparison.p_value == pytest.approx(expected.pvalue, rel=1e-8)
    assert comparison.degrees_of_freedom == pytest.approx(expected.df, rel=TIGHT)
    assert comparison.low == pytest.approx(expected_interval.low, rel=TIGHT)
    assert comparison.high == pytest.approx(expected_interval.high, rel=TIGHT)
    assert (comparison.n_old, comparison.n_new) == (n_old, n_new)
    assert comparison.testable


def test_welch_difference_is_new_minus_old() -> None:
    comparison = welch_test(old=[50, 60, 70], new=[70, 80, 90])
    assert comparison.difference == pytest.approx(20)
    assert comparison.statistic is not None
    assert comparison.statistic > 0


def test_welch_test_drops_missing_answers() -> None:
    with_gaps = welch_test([50, np.nan, 60, 70], [70, 80, np.nan, 90])
    assert with_gaps == welch_test([50, 60, 70], [70, 80, 90])
    assert (with_gaps.n_old, with_gaps.n_new) == (3, 3)


def test_welch_test_without_answers_in_a_round_compares_nothing() -> None:
    comparison = welch_test([], [50, 60])
    assert comparison.difference is None
    assert comparison.p_value is None
    assert not comparison.testable
    assert (comparison.n_old, comparison.n_new) == (0, 2)


def test_welch_test_with_one_answer_in_a_round_gives_the_difference_but_no_test() -> None:
    comparison = welch_test([40], [50, 60, 70])
    assert comparison.difference == pytest.approx(20)
    assert (comparison.low, comparison.high, comparison.p_value) == (None, None, None)


@pytest.mark.parametrize("new", [[75.0] * 20, [100.0] * 20])
def test_welch_test_with_identical_answers_in_both_rounds_cannot_test(new: list[float]) -> None:
    comparison = welch_test([75.0] * 30, new)
    assert comparison.difference == pytest.approx(new[0] - 75)
    assert comparison.p_value is None
    assert comparison.low is None


def test_identical_non_integer_scores_are_recognised_as_having_no_spread() -> None:
    third = index_scores([2.0] * 7, 1, 4)  # 33.33…, whose variance rounds to noise
    assert welch_test(third, third).p_value is None


def test_welch_test_with_no_spread_in_one_round_still_tests() -> None:
    old, new = [60.0] * 10, [50.0, 60.0, 70.0, 80.0, 90.0]
    with warnings.catch_warnings():
        # scipy warns about the constant group, which is exactly the case under test.
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = stats.ttest_ind(new, old, equal_var=False)
    comparison = welch_test(old, new)
    assert comparison.p_value == pytest.approx(expected.pvalue, rel=1e-8)
    assert comparison.degrees_of_freedom == pytest.approx(4)


# --- Two proportions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes_old", "n_old", "successes_new", "n_new"),
    [(40, 100, 55, 110), (3, 12, 9, 14), (0, 25, 4, 30), (50, 50, 45, 50), (700, 1000, 690, 980)],
)
def test_two_proportion_test_matches_statsmodels(
    successes_old: int, n_old: int, successes_new: int, n_new: int
) -> None:
    expected_low, expected_high = confint_proportions_2indep(
        successes_new, n_new, successes_old, n_old, method="newcomb", compare="diff", alpha=0.05
    )
    expected_z, expected_p = proportions_ztest(
        np.array([successes_new, successes_old]), np.array([n_new, n_old])
    )

    comparison = two_proportion_test(successes_old, n_old, successes_new, n_new)

    share_difference = 100 * (successes_new / n_new - successes_old / n_old)
    assert comparison.difference == pytest.approx(share_difference, rel=TIGHT)
    assert comparison.low == pytest.approx(100 * expected_low, rel=TIGHT)
    assert comparison.high == pytest.approx(100 * expected_high, rel=TIGHT)
    assert comparison.statistic == pytest.approx(expected_z, rel=TIGHT)
    assert comparison.p_value == pytest.approx(expected_p, rel=1e-8)


def test_share_difference_is_in_percentage_points_new_minus_old() -> None:
    comparison = two_proportion_test(30, 100, 45, 100)
    assert comparison.difference == pytest.approx(15)
    assert comparison.low is not None
    assert comparison.high is not None
    assert comparison.low < 15 < comparison.high


def test_two_proportion_test_without_answers_in_a_round_compares_nothing() -> None:
    comparison = two_proportion_test(0, 0, 5, 10)
    assert comparison.difference is None
    assert comparison.low is None
    assert comparison.p_value is None


@pytest.mark.parametrize(("old", "new"), [((0, 40), (0, 60)), ((40, 40), (60, 60))])
def test_nobody_or_everybody_in_both_rounds_gives_an_interval_but_no_test(
    old: tuple[int, int], new: tuple[int, int]
) -> None:
    comparison = two_proportion_test(*old, *new)
    expected = confint_proportions_2indep(*new, *old, method="newcomb", compare="diff")
    assert comparison.difference == 0
    assert (comparison.low, comparison.high) == pytest.approx(
        (100 * expected[0], 100 * expected[1]), rel=TIGHT
    )
    assert comparison.p_value is None
    assert comparison.statistic is None


# --- Benjamini–Hochberg ------------------------------------------------------------------


def test_benjamini_hochberg_matches_statsmodels() -> None:
    generator = rng(20)
    p_values = np.concatenate([generator.uniform(0, 0.01, 8), generator.uniform(0, 1, 40)])
    generator.shuffle(p_values)
    _, expected, _, _ = multipletests(p_values, method="fdr_bh")
    adjusted = benjamini_hochberg(p_values.tolist())
    assert adjusted == pytest.approx(expected.tolist(), rel=TIGHT)


def test_benjamini_hochberg_passes_untested_comparisons_through() -> None:
    p_values = [0.01, None, 0.04, 0.03, None, 0.5]
    tested = [p for p in p_values if p is not None]
    _, expected, _, _ = multipletests(tested, method="fdr_bh")
    adjusted = benjamini_hochberg(p_values)
    assert adjusted[1] is None
    assert adjusted[4] is None
    assert [p for p in adjusted if p is not None] == pytest.approx(expected.tolist(), rel=TIGHT)


def test_benjamini_hochberg_by_hand() -> None:
    # Ranked: 0.01·4/1 = 0.04, 0.02·4/2 = 0.04, 0.03·4/3 = 0.04, 0.9·4/4 = 0.9.
    assert benjamini_hochberg([0.03, 0.9, 0.01, 0.02]) == pytest.approx([0.04, 0.9, 0.04, 0.04])


def test_benjamini_hochberg_is_monotone_and_capped_at_one() -> None:
    p_values = rng(21).uniform(0, 1, 200)
    adjusted = np.array(benjamini_hochberg(p_values.tolist()), dtype=float)
    order = np.argsort(p_values)
    assert np.all(np.diff(adjusted[order]) >= 0)
    assert np.all(adjusted >= p_values - 1e-15)  # p·m/m may round down by one ulp
    assert adjusted.max() <= 1


@pytest.mark.parametrize("p_values", [[], [None, None]])
def test_benjamini_hochberg_with_nothing_tested(p_values: list[float | None]) -> None:
    assert benjamini_hochberg(p_values) == p_values


@pytest.mark.parametrize("bad", [float("nan"), -0.1, 1.5])
def test_benjamini_hochberg_rejects_values_that_are_not_p_values(bad: float) -> None:
    with pytest.raises(ValueError, match="p-values"):
        benjamini_hochberg([0.01, bad])


def test_significant_means_adjusted_p_at_most_alpha_and_never_untested() -> None:
    assert significant([0.01, 0.05, 0.051, None]) == [True, True, False, False]
    assert significant([0.01, 0.02], alpha=0.01) == [True, False]


def test_significant_agrees_with_statsmodels_rejections() -> None:
    p_values = rng(22).uniform(0, 0.1, 30)
    reject, _, _, _ = multipletests(p_values, alpha=0.05, method="fdr_bh")
    assert significant(benjamini_hochberg(p_values.tolist())) == reject.tolist()


# --- Small cells -------------------------------------------------------------------------


def test_no_cell_is_hidden_when_every_group_is_large_enough() -> None:
    assert suppress_small_cells({"women": 40, "men": 35, "other": 7}, minimum=7) == set()


def test_one_small_cell_also_hides_the_smallest_shown_cell() -> None:
    # With only "other" hidden, total − women − men would give it away.
    counts = {"women": 40, "men": 35, "other": 3}
    assert suppress_small_cells(counts, minimum=7) == {"other", "men"}


def test_two_small_cells_that_together_reach_the_minimum_need_no_extra_cell() -> None:
    counts = {"under 20": 3, "20-64": 120, "65+": 90, "unknown": 5}
    assert suppress_small_cells(counts, minimum=7) == {"under 20", "unknown"}


def test_two_tiny_cells_whose_sum_is_still_small_draw_a_third() -> None:
    # Subtraction would reveal the result of the 1 + 2 answers together.
    counts = {"a": 1, "b": 2, "c": 50, "d": 30}
    assert suppress_small_cells(counts, minimum=7) == {"a", "b", "d"}


def test_empty_cells_are_hidden_but_do_not_protect_a_small_cell() -> None:
    counts = {"a": 0, "b": 4, "c": 50, "d": 30}
    assert suppress_small_cells(counts, minimum=7) == {"a", "b", "d"}


def test_only_empty_small_cells_hide_nothing_else() -> None:
    assert suppress_small_cells({"a": 0, "b": 50, "c": 30}, minimum=7) == {"a"}


def test_equally_small_shown_cells_are_chosen_in_the_order_given() -> None:
    counts = {"a": 30, "b": 30, "c": 2}
    assert suppress_small_cells(counts, minimum=7) == {"c", "a"}


def test_when_every_cell_is_small_everything_is_hidden() -> None:
    counts = {"a": 2, "b": 3}
    assert suppress_small_cells(counts, minimum=7) == {"a", "b"}


def test_a_shown_total_never_reveals_a_hidden_cell() -> None:
    generator = rng(30)
    minimum = 7
    for _ in range(2000):
        sizes = generator.integers(0, 20, size=generator.integers(1, 7))
        counts = {f"group {i}": int(n) for i, n in enumerate(sizes)}
        hidden = suppress_small_cells(counts, minimum)
        if sum(counts.values()) < minimum:
            continue  # The total is hidden by the same rule.
        hidden_with_answers = [key for key in hidden if counts[key] > 0]
        derivable_answers = sum(counts[key] for key in hidden_with_answers)
        assert len(hidden_with_answers) != 1, counts
        assert derivable_answers == 0 or derivable_answers >= minimum, counts
        assert all(counts[key] >= minimum for key in counts.keys() - hidden), counts


def test_the_minimum_must_be_at_least_one_answer() -> None:
    with pytest.raises(ValueError, match="minimum"):
        suppress_small_cells({"a": 3}, minimum=0)


# --- Regression and the priority matrix --------------------------------------------------


def simulated_survey(seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    generator = rng(seed)
    areas = generator.uniform(0, 100, size=(size, 3))
    overall = 10 + areas @ np.array([0.5, 0.2, 0.05]) + generator.normal(0, 8, size)
    return overall, areas


def test_regression_matches_statsmodels_ols() -> None:
    overall, areas = simulated_survey(40, 2000)
    expected = sm.OLS(overall, sm.add_constant(areas)).fit()
    fit = regression(overall, areas)
    assert fit is not None
    assert fit.intercept == pytest.approx(expected.params[0], rel=1e-8)
    assert fit.coefficients == pytest.approx(tuple(expected.params[1:]), rel=1e-8)
    assert fit.r_squared == pytest.approx(expected.rsquared, rel=1e-10)
    assert fit.n == 2000
    assert fit.identified


def test_regression_leaves_out_respondents_with_a_missing_value() -> None:
    overall, areas = simulated_survey(41, 500)
    overall[3] = np.nan
    areas[[10, 20], [0, 2]] = np.nan
    complete = np.ones(500, dtype=bool)
    complete[[3, 10, 20]] = False
    expected = sm.OLS(overall[complete], sm.add_constant(areas[complete])).fit()
    fit = regression(overall, areas)
    assert fit is not None
    assert fit.n == 497
    assert fit.coefficients == pytest.approx(tuple(expected.params[1:]), rel=1e-8)
    assert fit.r_squared == pytest.approx(expected.rsquared, rel=1e-10)


def test_effect_is_the_coefficient_times_five_index_points() -> None:
    overall, areas = simulated_survey(42, 300)
    fit = regression(overall, areas)
    assert fit is not None
    assert fit.effects() == pytest.approx(tuple(5 * c for c in fit.coefficients), rel=TIGHT)
    assert fit.effects(step=1) == pytest.approx(fit.coefficients, rel=TIGHT)


def test_regression_on_one_area_accepts_a_flat_column() -> None:
    fit = regression([10.0, 20.0, 30.0, 41.0], [1.0, 2.0, 3.0, 4.0])
    expected = sm.OLS([10.0, 20.0, 30.0, 41.0], sm.add_constant([1.0, 2.0, 3.0, 4.0])).fit()
    assert fit is not None
    assert fit.coefficients == pytest.approx((expected.params[1],), rel=1e-10)


def test_regression_needs_a_residual_to_say_anything() -> None:
    assert regression([1.0, 2.0, 3.0], [[1.0, 5.0], [2.0, 3.0], [4.0, 1.0]]) is None
    assert regression([], np.empty((0, 2))) is None


def test_collinear_areas_are_flagged_as_not_identified() -> None:
    overall, areas = simulated_survey(43, 200)
    fit = regression(overall, np.column_stack([areas[:, 0], areas[:, 0]]))
    assert fit is not None
    assert not fit.identified
    assert fit.coefficients[0] == pytest.approx(fit.coefficients[1])


def test_an_overall_index_that_never_varies_has_no_r_squared() -> None:
    _, areas = simulated_survey(44, 50)
    fit = regression(np.full(50, 70.0), areas)
    assert fit is not None
    assert fit.r_squared is None


def test_mismatched_rows_are_rejected() -> None:
    with pytest.raises(ValueError, match="per respondent"):
        regression([1.0, 2.0, 3.0], np.ones((4, 2)))


@pytest.mark.parametrize(
    ("effect", "index", "quadrant"),
    [
        (3.0, 40.0, Quadrant.PRIORITISE),
        (3.0, 80.0, Quadrant.KEEP),
        (0.5, 40.0, Quadrant.IMPROVE_IF_POSSIBLE),
        (0.5, 80.0, Quadrant.LOWER_PRIORITY),
    ],
)
def test_priority_quadrants(effect: float, index: float, quadrant: Quadrant) -> None:
    assert priority_quadrant(effect, index, effect_split=1.0, index_split=60.0) == quadrant


def test_quadrant_codes_are_stable_strings() -> None:
    assert [str(q) for q in Quadrant] == [
        "prioritise",
        "keep",
        "improve_if_possible",
        "lower_priority",
    ]


def test_a_value_on_a_split_line_counts_as_high() -> None:
    assert priority_quadrant(1.0, 60.0, effect_split=1.0, index_split=60.0) == Quadrant.KEEP


def test_quadrants_split_at_the_medians_of_the_areas() -> None:
    areas = {
        "bemötande": AreaPosition(effect=2.5, index=55),
        "information": AreaPosition(effect=1.8, index=70),
        "tillgänglighet": AreaPosition(effect=0.4, index=50),
        "handläggning": AreaPosition(effect=0.2, index=75),
    }
    # Medians: effect (1.8 + 0.4)/2 = 1.1, index (55 + 70)/2 = 62.5.
    assert quadrants(areas) == {
        "bemötande": Quadrant.PRIORITISE,
        "information": Quadrant.KEEP,
        "tillgänglighet": Quadrant.IMPROVE_IF_POSSIBLE,
        "handläggning": Quadrant.LOWER_PRIORITY,
    }


def test_quadrants_accept_given_split_lines() -> None:
    areas = {"a": AreaPosition(effect=2.0, index=90), "b": AreaPosition(effect=3.0, index=95)}
    assert quadrants(areas, effect_split=1.0, index_split=96) == {
        "a": Quadrant.PRIORITISE,
        "b": Quadrant.PRIORITISE,
    }


def test_no_areas_give_no_quadrants() -> None:
    assert quadrants({}) == {}


# --- Speed -------------------------------------------------------------------------------


def test_a_hundred_thousand_answers_take_well_under_a_second() -> None:
    generator = rng(50)
    old = answers_1_to_5(generator, 100_000)
    new = answers_1_to_5(generator, 100_000, lean=0.1)
    overall, areas = simulated_survey(51, 100_000)
    started = time.perf_counter()
    index_estimate(new, 1, 5)
    welch_test(index_scores(old, 1, 5), index_scores(new, 1, 5))
    regression(overall, areas)
    benjamini_hochberg(generator.uniform(0, 1, 100_000).tolist())
    assert time.perf_counter() - started < 1.0
