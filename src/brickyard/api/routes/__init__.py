"""One router per API resource; :mod:`brickyard.api.app` mounts them under their prefixes."""
