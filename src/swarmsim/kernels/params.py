"""Scalar parameters of the kernels, grouped per phase.

Plain ``NamedTuple`` s of floats: readable in the NumPy reference and accepted as-is
by Numba's ``njit`` in the compiled twins.
"""

from __future__ import annotations

from typing import NamedTuple


class AdvertisingParams(NamedTuple):
    """One firm's ads: reach and intensity a in [0, 1], m, real quality q, backfire κ."""

    reach: float
    intensity: float
    manipulation: float
    quality: float
    backfire: float


class PurchaseParams(NamedTuple):
    """Logit weights (>= 0) and the outside option's utility."""

    beta_opinion: float
    beta_quality: float
    beta_loyalty: float
    beta_price: float
    outside_utility: float


class ExperienceParams(NamedTuple):
    """One firm's buyers' experience; dialogue, cocreation, education scaled by 1 − m."""

    opinion_decay: float
    quality: float
    quality_noise: float
    opinion_rate: float
    expectation_rate: float
    dialogue: float
    dialogue_damping: float
    speak_threshold: float
    loyalty_gain: float
    loyalty_decay: float
    cocreation: float
    cocreation_gain: float
    education: float


class ExposureParams(NamedTuple):
    """Detection of misconduct: information parity in [0, 1], opinion shock in [0, 2]."""

    information_parity: float
    opinion_shock: float


class WordOfMouthParams(NamedTuple):
    """Talk: p_talk in [0, 1], negativity bias λ >= 1, learning rate η, threshold ε."""

    p_talk: float
    negativity_bias: float
    learning_rate: float
    speak_threshold: float


class CampaignParams(NamedTuple):
    """One campaign step: draw key (institution·64 + firm), rates in [0, 1]."""

    key: int
    petition_rate: float
    reach: float
    call_step: float


class BoycottParams(NamedTuple):
    """Hysteresis: join at opinion <= join_opinion, leave above leave_opinion."""

    join_opinion: float
    leave_opinion: float
