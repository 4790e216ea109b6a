# redis-dock node image: redis-server {{.RedisVersion}}, the libraries it
# loads and the redis-dock node binary, nothing else.
FROM scratch
COPY rootfs/ /
COPY --chown={{.UID}}:{{.GID}} owned/ /
COPY --chown={{.UID}}:{{.GID}} owned-etc/ /etc/
ENV PATH=/usr/local/bin:/usr/bin:/bin
{{- if .LibraryPath}}
ENV LD_LIBRARY_PATH={{.LibraryPath}}
{{- end}}
LABEL redis-dock.redis-version="{{.RedisVersion}}"
USER {{.UID}}:{{.GID}}
WORKDIR {{.DataDir}}
CMD ["redis-server", "{{.ConfigDir}}/redis.conf"]
