{{- define "stratus.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "stratus.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "stratus.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The store and index settings every Stratus container reads (see `stratus serve --help`). */}}
{{- define "stratus.env" -}}
- name: STRATUS_CASSANDRA
  value: {{ .Values.cassandra.contactPoints | quote }}
- name: STRATUS_CASSANDRA_DATACENTER
  value: {{ .Values.cassandra.localDatacenter | quote }}
- name: STRATUS_KEYSPACE
  value: {{ .Values.cassandra.keyspace | quote }}
- name: STRATUS_REPLICATION
  value: {{ .Values.cassandra.replication | quote }}
- name: STRATUS_CONSISTENCY
  value: {{ .Values.cassandra.consistency | quote }}
- name: STRATUS_SERIAL_CONSISTENCY
  value: {{ .Values.cassandra.serialConsistency | quote }}
- name: STRATUS_OPENSEARCH
  value: {{ .Values.opensearch.url | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaOpts | quote }}
{{- end -}}

{{/* A run-to-completion pod spec for an administration command: args in .args, root context in .ctx. */}}
{{- define "stratus.adminPod" -}}
restartPolicy: Never
containers:
  - name: {{ .name }}
    image: {{ include "stratus.image" .ctx }}
    imagePullPolicy: {{ .ctx.Values.image.pullPolicy }}
    args: {{ toJson .args }}
    env:
      {{- include "stratus.env" .ctx | nindent 6 }}
    resources:
      {{- toYaml .ctx.Values.maintenance.resources | nindent 6 }}
{{- end -}}
