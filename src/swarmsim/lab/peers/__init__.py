"""Peers of ``swarmsim bench``: the same cascades in other tools, on the same graph.

Each module runs one special case of the model with a peer tool, from a
:class:`~swarmsim.graphs.CSRGraph` and the seed consumers that swarmsim's own seeding
chose, and returns the final cascade size:

- :mod:`.hand_cascade`: a minimal single-thread Numba CSR threshold cascade, the
  practical speed limit of the hardware for this problem;
- :mod:`.ndlib_threshold`: NDlib's ``ThresholdModel`` (synchronous rounds on networkx);
- :mod:`.mesa_threshold`: a plain Mesa 3.5 model, one ``FixedAgent`` per consumer on
  ``mesa.discrete_space.Network(G, layout=None)``, as a Mesa user would write it;
- :mod:`.cynetdiff_cascade`: cynetdiff's C++ ``IndependentCascadeModel``.

:mod:`swarmsim.lab.cases` builds the matching swarmsim scenarios.
"""
