"""Statistics API (placeholder until the dashboards land)."""

from rest_framework.response import Response
from rest_framework.views import APIView


class UsageStatsView(APIView):
    def get(self, request):
        return Response({"detail": "todo"}, status=501)


class HeatmapView(UsageStatsView):
    pass
