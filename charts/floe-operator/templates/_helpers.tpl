{{/* The release's full name: the release name, or release-chart when the release name does not contain the chart name. */}}
{{- define "floe-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "floe-operator.selectorLabels" -}}
app.kubernetes.io/name: floe-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "floe-operator.labels" -}}
{{ include "floe-operator.selectorLabels" . }}
app.kubernetes.io/part-of: floe
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "floe-operator.serviceAccountName" -}}
{{- default (include "floe-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "floe-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
What the operator does in the namespaces it watches: read its two custom resources and write their
status; manage the objects an IcebergCatalog becomes; create Events. The same rules as
deploy/default/cluster-role.yaml (HelmChartIT compares them); a ClusterRole in cluster-wide mode,
a Role in each watched namespace in namespaced mode.
*/}}
{{- define "floe-operator.namespacedRules" -}}
- apiGroups: ["floe.dev"]
  resources: ["icebergcatalogs", "kmsbindings"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["floe.dev"]
  resources: ["icebergcatalogs/status", "kmsbindings/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: [""]
  resources: ["serviceaccounts", "configmaps", "services", "persistentvolumeclaims", "secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
# backup Jobs report their archive in the pod's termination message; read, never changed
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["batch"]
  resources: ["cronjobs", "jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
{{- end -}}

{{/* Cluster-scoped in both modes: a CRD cannot be granted by a Role. Whether cert-manager and prometheus-operator are installed. */}}
{{- define "floe-operator.crdRule" -}}
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames: ["certificates.cert-manager.io", "servicemonitors.monitoring.coreos.com"]
  verbs: ["get"]
{{- end -}}
