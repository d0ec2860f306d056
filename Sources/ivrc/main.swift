import IVRSyntax
print("ivrc")
