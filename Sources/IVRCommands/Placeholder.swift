import IVRSyntax
