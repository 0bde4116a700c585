"""The demo newsroom: content written for newsweb, and the command that loads it."""
