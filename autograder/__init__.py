"""The grading tool for cudalike exercises; it arrives in a later issue."""
