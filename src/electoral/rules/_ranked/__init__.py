"""The ranked-choice family: instant-runoff and single transferable vote, with its transfer strategies."""
