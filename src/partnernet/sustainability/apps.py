from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SustainabilityConfig(AppConfig):
    name = "partnernet.sustainability"
    verbose_name = _("Sustainability support")

    def ready(self) -> None:
        from partnernet.base.registry import RecordKind, register
        from partnernet.framework.panels import register_proposal_panel
        from partnernet.i18n.sentences import register_choices, register_kind
        from partnernet.sustainability import rules
        from partnernet.sustainability.formats import money_param, quantity_param
        from partnernet.sustainability.kinds import (
            NeedKind,
            PledgeKind,
            need_followers,
            need_recipients,
            pledge_recipients,
        )
        from partnernet.sustainability.models import NeedStatus
        from partnernet.sustainability.planning import proposal_plan_panel
        from partnernet.sustainability.services import NEEDS, PLEDGES

        register(
            RecordKind(
                "needs",
                NeedKind(),
                NEEDS,
                m2m=("stewardships",),
                recipients=need_recipients,
                followers=need_followers,
                visible=rules.visible_needs,
                home_field="entity",
            )
        )
        register(
            RecordKind(
                "pledges", PledgeKind(), PLEDGES, recipients=pledge_recipients, visible=rules.visible_pledges
            )
        )
        register_choices("need_status", NeedStatus)
        register_kind("money", money_param)
        register_kind("quantity", quantity_param)
        register_proposal_panel(proposal_plan_panel)
