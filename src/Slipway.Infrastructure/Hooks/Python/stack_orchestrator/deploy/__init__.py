"""The deploy part of the shim: context classes, spec and stack objects, run_container_command."""
