"""Outgoing post: packs, reminders and chasers as emails, written as drafts or sent."""
