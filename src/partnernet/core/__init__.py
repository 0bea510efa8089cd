"""Pure domain core: plain data in, plain data out, no Django and no I/O."""
