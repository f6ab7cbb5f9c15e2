"""swarmsim: agent-based simulation of organized consumer swarms versus firms.

Examples
--------
>>> from swarmsim import SwarmModel
>>> model = SwarmModel.from_scenario("scenarios/baseline.yaml", seed=1)  # doctest: +SKIP
>>> model.run(52)  # doctest: +SKIP
"""

from swarmsim import memory
from swarmsim._version import __version__
from swarmsim.agents.firms import Firm
from swarmsim.agents.institutions import Institution
from swarmsim.model import SwarmModel
from swarmsim.results import Results, load_results, timeseries_frame
from swarmsim.scenario import Scenario, load_scenario

memory.use_builder(SwarmModel)  # memory measures small models but cannot import the model

__all__ = [
    "Firm",
    "Institution",
    "Results",
    "Scenario",
    "SwarmModel",
    "__version__",
    "load_results",
    "load_scenario",
    "timeseries_frame",
]
