"""The program's rules, each once: rules (the eligibility checklist), conflicts (who else claims the
prospect), co_sell (who may share a deal, and how), actions ("may this happen to the deal now?")."""
