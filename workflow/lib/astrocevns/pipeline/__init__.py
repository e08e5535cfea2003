"""The workflow's planning and checking: configuration validation, the plan of jobs and their sharing, variants
and scans, memory estimates, job logs and the verification of a results folder.
"""
