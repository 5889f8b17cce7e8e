"""The lease-signing keys (next → current → retired) and the public JWKS."""
