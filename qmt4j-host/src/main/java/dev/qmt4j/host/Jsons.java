package dev.qmt4j.host;

import tools.jackson.databind.json.JsonMapper;

/** The host's shared JSON mapper. */
final class Jsons {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Jsons() {}
}
