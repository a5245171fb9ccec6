package io.stratusmail.storage.cassandra.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One versioned schema change: a CQL file on the class path ({@code db/migration/V<version>__<name>.cql}).
 *
 * <p>File format: statements end with {@code ;}; lines whose first non-blank characters are {@code --} are
 * comments; {@code ${keyspace}} is replaced by the configured keyspace. Every statement must be idempotent
 * ({@code IF NOT EXISTS}), because a migration interrupted by a crash is run again from its start.
 *
 * @param version     positive, applied in ascending order
 * @param description short name recorded in {@code schema_version}
 * @param resource    class-path resource of the CQL file
 */
public record Migration(int version, String description, String resource) {

    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(resource, "resource");
    }

    /** The statements of the file, in order, for the given keyspace. */
    public List<String> statements(String keyspace) {
        String text;
        try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing: " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String statement : body.toString().split(";")) {
            String s = statement.strip();
            if (!s.isEmpty()) {
                out.add(s.replace("${keyspace}", keyspace));
            }
        }
        return out;
    }
}
