"""One run of ``swarmsim run``: outputs written as it goes, checkpoints, resume, interrupts.

A run writes into a working folder that becomes the results folder in one rename when
it finishes. Without checkpoints that folder is hidden and removed if the run fails or
is interrupted: nothing partial is left. With ``checkpoint_every`` it is ``DIR.partial``
beside the results folder ``DIR``, holding ``checkpoint.npz`` (the model after the last
checkpointed step, :mod:`swarmsim.checkpoint`) and the per-consumer files written so
far; it is kept when the run is killed or interrupted, and :func:`resume_run`
continues from it. Ctrl-C (SIGINT) and SIGTERM stop a run with exit codes 130 and 143.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swarmsim.checkpoint import load_checkpoint, save_checkpoint
from swarmsim.consumer_output import ConsumerRecorder, write_edges, write_traits
from swarmsim.errors import OutputError
from swarmsim.results import staged_folder, utc_now, write_tables
from swarmsim.scenario import Scenario, load_scenario

__all__ = ["Interrupted", "RunOptions", "partial_folder", "resume_run", "start_run"]

CHECKPOINT = "checkpoint.npz"


class Interrupted(BaseException):
    """A run stopped by SIGINT (exit code 130) or SIGTERM (143); the text says what is kept.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it.
    """

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@contextmanager
def interrupt_on_signals(what_is_kept: Callable[[str], str]) -> Iterator[None]:
    """Turn SIGINT and SIGTERM inside the block into :class:`Interrupted`.

    ``what_is_kept(name)`` ("Ctrl-C" or "SIGTERM") gives the one line the user reads;
    the exit code is 130 for SIGINT and 143 for SIGTERM, as shells report them.
    """

    def terminate(signum, frame):
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except (KeyboardInterrupt, _Terminated) as stop:
        name, code = ("SIGTERM", 143) if isinstance(stop, _Terminated) else ("Ctrl-C", 130)
        raise Interrupted(what_is_kept(name), code) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """Raised in the main thread by the SIGTERM handler."""


@dataclass(frozen=True)
class RunOptions:
    """How a run writes: results folder, overwrite, the plot, checkpoints every K steps."""

    target: Path
    overwrite: bool = False
    plot: bool = True
    checkpoint_every: int | None = None


def partial_folder(target: Path) -> Path:
    """Return the working folder of a checkpointed run that writes ``target``."""
    return target.with_name(f"{target.name}.partial")


def start_run(
    spec: Scenario,
    source: str,
    options: RunOptions,
    *,
    on_model: Callable[[Any], None] = lambda model: None,
    on_step: Callable[[int], None] = lambda t: None,
):
    """Build the model of ``spec`` and run it to the end; return the finished model.

    ``on_model(model)`` is called once the model is built, ``on_step(t)`` after each step.

    Raises
    ------
    Interrupted
        SIGINT or SIGTERM arrived; its text says what was kept.
    """
    from swarmsim.model import SwarmModel

    keep = partial_folder(options.target) if options.checkpoint_every else None
    if keep is not None and keep.exists():
        raise OutputError(
            f"{keep}: holds an interrupted run; continue it with "
            f"'swarmsim run --resume {options.target}' or delete it"
        )
    run = _Run(options, spec, {"source": source, "options": _options_json(options)})
    with run.stops_on_signals(), run.working_folder(keep) as folder:
        run.model = SwarmModel(spec, source=source)
        on_model(run.model)
        if spec.output.consumers_every:
            write_traits(run.model, folder / "traits.parquet")
        return run.finish(folder, on_step, resumed=None)


def resume_run(
    target: Path,
    *,
    on_model: Callable[[Any], None] = lambda model: None,
    on_step: Callable[[int], None] = lambda t: None,
):
    """Continue the checkpointed run that was writing ``target``; return the finished model.

    ``on_model`` and ``on_step`` as for :func:`start_run`.

    Raises
    ------
    OutputError
        No checkpoint of a run writing ``target`` exists, or it cannot be read.
    Interrupted
        As for :func:`start_run`.
    """
    keep = partial_folder(target)
    path = keep / CHECKPOINT
    if not path.is_file():
        raise OutputError(
            f"{path}: no checkpoint to resume (start the run with --checkpoint-every K)"
        )
    model, started_from, run_info = load_checkpoint(path)
    saved = run_info["options"]
    options = RunOptions(target, saved["overwrite"], saved["plot"], saved["checkpoint_every"])
    run = _Run(options, load_scenario(started_from), run_info)
    run.model, run.saved = model, int(model.steps)
    on_model(model)
    with run.stops_on_signals(), run.working_folder(keep) as folder:
        return run.finish(folder, on_step, resumed=int(model.steps))


class _Run:
    """A run in progress: its model, options and the step of its last checkpoint.

    ``spec`` is the scenario the run started from (``set_parameter`` events change the
    model's own), ``started_from`` the same as plain data, saved with each checkpoint.
    """

    def __init__(self, options: RunOptions, spec: Scenario, info: dict[str, Any]):
        self.options, self.spec, self.info = options, spec, info
        self.started_from = spec.to_dict()
        self.model = None
        self.saved: int | None = None  # step of the last checkpoint

    @contextmanager
    def working_folder(self, keep: Path | None) -> Iterator[Path]:
        """Yield the folder the run writes into; ``keep`` stays after a failure if checkpointed."""
        options = self.options
        try:
            with staged_folder(options.target, overwrite=options.overwrite, keep_as=keep) as f:
                yield f
        except BaseException:
            if keep is not None and not (keep / CHECKPOINT).exists():
                shutil.rmtree(keep, ignore_errors=True)
            raise

    def finish(self, folder: Path, on_step: Callable[[int], None], *, resumed: int | None):
        """Run the model to its last step writing as it goes; then write the tables."""
        model, options, spec = self.model, self.options, self.spec
        started, clock = utc_now(), time.perf_counter()
        every = spec.output.consumers_every
        record = ConsumerRecorder(folder / "consumers", every, spec.steps) if every else None
        if record is not None and resumed is None:
            record(model)  # step 0
        checkpoint = folder / CHECKPOINT

        def after_step(t: int) -> None:
            if record is not None:
                record(model)
            if options.checkpoint_every and t % options.checkpoint_every == 0 and t < spec.steps:
                save_checkpoint(model, checkpoint, started_from=self.started_from, run=self.info)
                self.saved = t
            on_step(t)

        model.run(spec.steps - int(model.steps), on_step=after_step)
        if spec.output.graph:
            write_edges(model.graph, folder / "graph.parquet")
        checkpoint.unlink(missing_ok=True)
        write_tables(
            model, folder, source=self.info["source"], started=started, plot=options.plot,
            wall_seconds=time.perf_counter() - clock, resumed_from=resumed,
        )  # fmt: skip
        return model

    def stops_on_signals(self):
        """Turn SIGINT and SIGTERM into :class:`Interrupted`, saying what is kept."""
        return interrupt_on_signals(self.what_is_kept)

    def what_is_kept(self, signal_name: str) -> str:
        """One line: where the run stopped and what of it is kept."""
        step = "" if self.model is None else f" at step {int(self.model.steps)}"
        where = f"interrupted by {signal_name}{step}"
        if self.saved is None:
            return f"{where}; no results were written"
        target = self.options.target
        return (
            f"{where}; the checkpoint of step {self.saved} is in {partial_folder(target)}: "
            f"continue with 'swarmsim run --resume {target}'"
        )


def _options_json(options: RunOptions) -> dict[str, Any]:
    return {
        "overwrite": options.overwrite,
        "plot": options.plot,
        "checkpoint_every": options.checkpoint_every,
    }
