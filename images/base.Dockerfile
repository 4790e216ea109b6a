# redis-dock node image: {{.Base}} plus the redis-dock node binary.
FROM {{.Base}}
COPY rootfs/ /
COPY --chown={{.UID}}:{{.GID}} owned/ /
COPY --chown={{.UID}}:{{.GID}} owned-etc/ /etc/
{{- if .RedisVersion}}
LABEL redis-dock.redis-version="{{.RedisVersion}}"
{{- end}}
USER {{.UID}}:{{.GID}}
WORKDIR {{.DataDir}}
ENTRYPOINT []
CMD ["redis-server", "{{.ConfigDir}}/redis.conf"]
