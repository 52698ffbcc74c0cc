"""Tommy (/api/v1/) views of the automations app: demo data (managers of the current team) and syncs."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.response import Response

from api.tommy.base import EmployeeViewSet, ManagerAPIView
from api.tommy.serializers.syncs import (
    DemoDataApplyResponseSerializer,
    DemoDataApplySerializer,
    DemoDataResetResponseSerializer,
    SyncSerializer,
)
from automations import services
from automations.models import Sync


class DemoDataApplyView(ManagerAPIView):
    """POST /team/demo_data/apply — start a background demo-data sync for the current team."""

    @extend_schema(request=DemoDataApplySerializer, responses={200: DemoDataApplyResponseSerializer})
    def post(self, request):
        serializer = DemoDataApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sync = services.demo_apply(team=self.team, user=request.user, **serializer.validated_data)
        body = {"success": True, "message": "Demo data sync started", "sync_id": sync.pk, "team_id": self.team.pk}
        return Response(body)


class DemoDataResetView(ManagerAPIView):
    """DELETE /team/demo_data/reset — remove the generated demo rows of the current team, and nothing else."""

    @extend_schema(request=None, responses={200: DemoDataResetResponseSerializer})
    def delete(self, request):
        removed = services.demo_reset(team=self.team)
        return Response({"success": True, "message": f"Removed {removed} demo records", "team_id": self.team.pk})


class SyncViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, EmployeeViewSet):
    """GET /syncs (page/per) and GET /syncs/{id}: the current team's syncs, for any of its members."""

    queryset = Sync.objects.select_related("user")
    serializer_class = SyncSerializer
    lookup_value_regex = "[0-9]+"
