package io.stratusmail.lmtp.protocol;

import io.stratusmail.lmtp.protocol.LmtpRequest.BodyType;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses one command line into an {@link LmtpRequest} (RFC 2033 section 4, RFC 5321 section 4.1).
 * Verbs and parameter keywords are case-insensitive. Syntax errors become {@link LmtpRequest.Rejected}
 * with their reply: unknown verb {@code 500 5.5.2}, HELO/EHLO {@code 500 5.5.1}, bad arguments
 * {@code 501 5.5.4}, bad sender {@code 501 5.1.7}, bad recipient {@code 501 5.1.3}, unknown parameter
 * {@code 555 5.5.4}. Stateless and thread-safe.
 */
public final class LmtpRequestParser {

    private static final LmtpResponse UNRECOGNIZED = LmtpResponse.of(500, "5.5.2", "Command unrecognized");
    private static final LmtpResponse USE_LHLO =
            LmtpResponse.of(500, "5.5.1", "This is LMTP (RFC 2033): use LHLO");
    private static final LmtpResponse LHLO_SYNTAX = LmtpResponse.of(501, "5.5.4", "Syntax: LHLO domain");
    private static final LmtpResponse MAIL_SYNTAX =
            LmtpResponse.of(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
    private static final LmtpResponse RCPT_SYNTAX = LmtpResponse.of(501, "5.5.4", "Syntax: RCPT TO:<address>");
    private static final LmtpResponse NO_ARGUMENTS = LmtpResponse.of(501, "5.5.4", "No arguments allowed");
    private static final LmtpResponse VRFY_SYNTAX = LmtpResponse.of(501, "5.5.4", "Syntax: VRFY string");

    private LmtpRequestParser() {
    }

    /** The request a command line (without line ending) stands for. */
    public static LmtpRequest parse(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return new LmtpRequest.Rejected(LmtpResponse.of(500, "5.5.2",
                        "Command contains a control or non-ASCII character"));
            }
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "LHLO" -> lhlo(args);
            case "MAIL" -> mail(args);
            case "RCPT" -> rcpt(args);
            case "DATA" -> args.isEmpty() ? new LmtpRequest.Data() : rejected(NO_ARGUMENTS);
            case "RSET" -> args.isEmpty() ? new LmtpRequest.Rset() : rejected(NO_ARGUMENTS);
            case "QUIT" -> args.isEmpty() ? new LmtpRequest.Quit() : rejected(NO_ARGUMENTS);
            case "NOOP" -> new LmtpRequest.Noop();
            case "VRFY" -> args.isBlank() ? rejected(VRFY_SYNTAX) : new LmtpRequest.Vrfy(args.trim());
            case "HELO", "EHLO" -> rejected(USE_LHLO);
            default -> rejected(UNRECOGNIZED);
        };
    }

    /** The reply to a command line longer than the limit. */
    public static LmtpRequest lineTooLong(int limit) {
        return rejected(LmtpResponse.of(500, "5.5.2", "Line too long (limit " + limit + " octets)"));
    }

    private static LmtpRequest lhlo(String args) {
        String name = args.trim();
        if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0
                || !(MailAddress.isDomain(name) || MailAddress.isAddressLiteral(name) || isLenientName(name))) {
            return rejected(LHLO_SYNTAX);
        }
        return new LmtpRequest.Lhlo(name);
    }

    /** Host names as real MTAs send them (underscores, a trailing period); still safe in a Received field. */
    private static boolean isLenientName(String name) {
        if (name.length() > MailAddress.MAX_DOMAIN_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '.' && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static LmtpRequest mail(String args) {
        if (!startsWithIgnoreCase(args, "FROM:")) {
            return rejected(MAIL_SYNTAX);
        }
        Path path = Path.read(args.substring(5));
        if (path == null) {
            return rejected(MAIL_SYNTAX);
        }
        Optional<MailAddress> sender;
        if (path.inner().isEmpty()) {
            sender = Optional.empty();
        } else {
            try {
                sender = Optional.of(MailAddress.parse(path.inner()));
            } catch (IllegalArgumentException e) {
                return rejected(LmtpResponse.of(501, "5.1.7", "Bad sender address syntax: " + e.getMessage()));
            }
        }
        OptionalLong size = OptionalLong.empty();
        BodyType body = BodyType.SEVEN_BIT;
        for (String param : path.parameters()) {
            int eq = param.indexOf('=');
            String keyword = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            switch (keyword) {
                case "SIZE" -> {
                    if (value == null || !value.matches("\\d+")) {
                        return rejected(LmtpResponse.of(501, "5.5.4", "Syntax: SIZE=<octets>"));
                    }
                    // a value beyond long range is certainly over the limit
                    size = OptionalLong.of(value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value));
                }
                case "BODY" -> {
                    if ("8BITMIME".equalsIgnoreCase(value)) {
                        body = BodyType.EIGHT_BIT_MIME;
                    } else if ("7BIT".equalsIgnoreCase(value)) {
                        body = BodyType.SEVEN_BIT;
                    } else {
                        return rejected(LmtpResponse.of(555, "5.5.4", "Unsupported BODY type"));
                    }
                }
                default -> {
                    return rejected(LmtpResponse.of(555, "5.5.4", "Unsupported MAIL parameter " + keyword));
                }
            }
        }
        return new LmtpRequest.MailFrom(sender, size, body);
    }

    private static LmtpRequest rcpt(String args) {
        if (!startsWithIgnoreCase(args, "TO:")) {
            return rejected(RCPT_SYNTAX);
        }
        Path path = Path.read(args.substring(3));
        if (path == null || path.inner().isEmpty()) {
            return rejected(LmtpResponse.of(501, "5.1.3", "Bad recipient address syntax"));
        }
        if (!path.parameters().isEmpty()) {
            return rejected(LmtpResponse.of(555, "5.5.4", "RCPT parameters are not supported"));
        }
        try {
            return new LmtpRequest.RcptTo(MailAddress.parse(path.inner()));
        } catch (IllegalArgumentException e) {
            return rejected(LmtpResponse.of(501, "5.1.3", "Bad recipient address syntax: " + e.getMessage()));
        }
    }

    /**
     * A path in angle brackets and the parameters after it.
     *
     * @param inner      the text between the brackets
     * @param parameters the space-separated {@code keyword[=value]} parameters
     */
    private record Path(String inner, java.util.List<String> parameters) {

        /** Reads {@code <...> [SP param]*}, allowing spaces before the bracket; null when malformed. */
        static Path read(String text) {
            String s = text.stripLeading();
            if (!s.startsWith("<")) {
                return null;
            }
            int i = 1;
            boolean quoted = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (quoted && c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '>' && !quoted) {
                    break;
                }
                i++;
            }
            if (i >= s.length()) {
                return null;
            }
            String rest = s.substring(i + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ' ') {
                return null;
            }
            java.util.List<String> params = java.util.Arrays.stream(rest.trim().split(" +"))
                    .filter(p -> !p.isEmpty()).toList();
            for (String p : params) {
                // RFC 5321 esmtp-keyword: (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
                if (!p.matches("[A-Za-z0-9][A-Za-z0-9-]*(=[\\x21-\\x3c\\x3e-\\x7e]+)?")) {
                    return null;
                }
            }
            return new Path(s.substring(1, i), params);
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static LmtpRequest rejected(LmtpResponse reply) {
        return new LmtpRequest.Rejected(reply);
    }
}
