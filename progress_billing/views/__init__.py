"""How a plan is shown in the desk: labels and standing, the job timeline, print, cards."""
