"""One HiGHS LP in column-wise form, as the allocation models build them: variables in [0, 1],
maximising."""

import highspy
import numpy as np


def column_lp(*, cost, row_lower, row_upper, start, index, value) -> highspy.HighsLp:
    """The LP max cost·x, row_lower ≤ A·x ≤ row_upper, 0 ≤ x ≤ 1, with A given column-wise
    (``start`` holds one entry per column plus the end)."""
    n_columns = len(cost)
    lp = highspy.HighsLp()
    lp.num_col_ = n_columns
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(n_columns)
    lp.col_upper_ = np.ones(n_columns)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=np.float64)
    return lp
