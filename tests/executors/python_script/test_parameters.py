"""The python script parameter rule (``brickyard.executors.python_script``)."""

from __future__ import annotations

from brickyard.executors.python_script import python_script_parameters
from brickyard.params import ResolutionContext, RunOverrides
from support.parameter_rules import resolver, task

resolve = resolver(python_script_parameters)


def test_empty_override_list_replaces_too(ctx: ResolutionContext) -> None:
    script = task(spark_python_task={"python_file": "s.py", "parameters": ["a"]})
    resolved = resolve(script, {}, RunOverrides(python_params=()), ctx)
    assert resolved.argv == ()


def test_overrides_for_other_types_do_not_apply(ctx: ResolutionContext) -> None:
    script = task(spark_python_task={"python_file": "s.py", "parameters": ["a"]})
    overrides = RunOverrides(
        jar_params=("j",), spark_submit_params=("s",), notebook_params={"n": "1"}
    )
    assert resolve(script, {}, overrides, ctx).argv == ("a",)
