/// Runtime: the VM, media backends, the scripted caller.
