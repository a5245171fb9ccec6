package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.IdResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ID ({@code "(" field value ... ")"} or {@code NIL}) (RFC 2971): answers {@code * ID ("name" "Stratus" "version"
 * "x.y.z")} in any state and logs the client's {@code name} and {@code version}. Limits of RFC 2971 section 3.3:
 * at most 30 pairs, field names up to 30 octets, values up to 1024 octets ({@code BAD} beyond).
 *
 * @param client the client's fields (value null for NIL), in the order sent
 */
public record IdCommand(String tag, Map<String, String> client) implements ImapCommand {

    static final int MAX_PAIRS = 30;
    static final int MAX_FIELD = 30;
    static final int MAX_VALUE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(IdCommand.class);
    /** The server's name and version, from the build (server.properties). */
    private static final Map<String, String> SERVER = serverFields();

    static IdCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        Map<String, String> fields = new LinkedHashMap<>();
        if (args.tryNil()) {
            args.end();
            return new IdCommand(tag, fields);
        }
        args.expect('(');
        while (!args.tryConsume(')')) {
            if (!fields.isEmpty()) {
                args.sp();
            }
            if (fields.size() == MAX_PAIRS) {
                throw new ParseException("ID takes at most " + MAX_PAIRS + " field-value pairs");
            }
            byte[] field = args.string();
            args.sp();
            byte[] value = args.tryNil() ? null : args.string();
            if (field.length > MAX_FIELD || (value != null && value.length > MAX_VALUE)) {
                throw new ParseException("ID field names are limited to " + MAX_FIELD + " octets, values to "
                        + MAX_VALUE);
            }
            fields.put(new String(field, StandardCharsets.UTF_8),
                    value == null ? null : new String(value, StandardCharsets.UTF_8));
        }
        args.end();
        return new IdCommand(tag, fields);
    }

    private static Map<String, String> serverFields() {
        Properties p = new Properties();
        try (InputStream in = IdCommand.class.getResourceAsStream("/io/stratusmail/imap/server.properties")) {
            if (in == null) {
                throw new IllegalStateException("server.properties missing from the imap-frontend jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = p.getProperty("name");
        String version = p.getProperty("version");
        if (name == null || version == null) {
            throw new IllegalStateException("server.properties lacks name or version");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("version", version);
        return java.util.Collections.unmodifiableMap(fields);
    }

    @Override
    public String name() {
        return "ID";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        LOG.info("event=imap.client.id session={} name={} version={}", session.id(), printable(client.get("name")),
                printable(client.get("version")));
        session.send(new IdResponse(SERVER));
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "ID completed"));
    }

    /** A value safe for one log line: printable ASCII, at most 64 characters, "-" when absent. */
    private static String printable(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 0x7f ? c : '_');
        }
        return sb.toString();
    }
}
