package dev.qmt4j.host;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Checks a provider config against the plugin's {@code config_schema} (JSON Schema; draft 7 unless
 * the schema's {@code $schema} says otherwise). Each message names the field ({@code model},
 * {@code max_tokens}, …) as a JSON path.
 */
final class ConfigValidator {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private ConfigValidator() {}

    /** @throws ProviderException {@link ProviderErrorKind#INVALID_CONFIG} listing every violation */
    static void validate(String provider, JsonNode schema, JsonNode config) {
        if (schema == null || schema.isEmpty()) {
            return;
        }
        Schema s;
        try {
            s = REGISTRY.getSchema(schema.toString(), InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new ProviderException(ProviderErrorKind.PLUGIN_ERROR, "provider '" + provider + "': its config_schema is not a usable JSON Schema: " + e.getMessage(), e);
        }
        List<Error> errors = s.validate(config);
        if (errors.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Error e : errors) {
            lines.add(field(e) + ": " + e.getMessage());
        }
        throw new ProviderException(ProviderErrorKind.INVALID_CONFIG, "provider '" + provider + "': invalid config: " + String.join("; ", lines));
    }

    /** The field a violation is about: the missing property for {@code required}, else the instance location. */
    private static String field(Error e) {
        String at = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
        if (e.getProperty() != null && "required".equals(e.getKeyword())) {
            return at.equals("$") ? e.getProperty() : at + "." + e.getProperty();
        }
        return at.startsWith("$.") ? at.substring(2) : at;
    }
}
