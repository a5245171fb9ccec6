package io.stratusmail.lmtp.protocol;

import io.stratusmail.lmtp.protocol.LmtpRequest.BodyType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one command line into an {@link LmtpRequest} (RFC 2033 section 4, RFC 5321 section 4.1).
 * Verbs and parameter keywords are case-insensitive. Syntax errors become {@link LmtpRequest.Rejected}
 * with their reply: unknown verb {@code 500 5.5.2}, HELO/EHLO {@code 500 5.5.1}, bad arguments
 * {@code 501 5.5.4}, bad sender {@code 501 5.1.7}, bad recipient {@code 501 5.1.3}, unknown parameter
 * {@code 555 5.5.4}, a non-ASCII sender without {@code SMTPUTF8} {@code 553 5.6.7} (RFC 6531 section 3.5), a
 * {@code BDAT} without a readable chunk size {@link LmtpRequest.Unrecoverable}.
 *
 * <p>Command lines are US-ASCII; only MAIL and RCPT may carry UTF-8 (RFC 6531 section 3.3), in their
 * paths, and it must be well-formed. Stateless and thread-safe.
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
    private static final LmtpResponse NOT_ASCII =
            LmtpResponse.of(500, "5.5.2", "Command contains a control or non-ASCII character");
    private static final LmtpResponse NOT_UTF8 = LmtpResponse.of(501, "5.5.4", "Command is not well-formed UTF-8");
    private static final LmtpResponse BDAT_SYNTAX =
            LmtpResponse.of(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]; closing connection");
    private static final LmtpResponse BARE_LF = LmtpResponse.of(500, "5.5.2",
            "Bare LF in command line; lines end with CRLF (RFC 5321 section 2.3.8)");
    /** RFC 3030 {@code bdat-cmd} arguments: {@code chunk-size [SP end-marker]}. */
    private static final Pattern BDAT_ARGS = Pattern.compile("(\\d+)( (?i:LAST))?");
    /** Longest chunk size read exactly; a longer one is over any limit. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 18;

    private LmtpRequestParser() {
    }

    /** The request a command line (without line ending) stands for. */
    /**
     * The request a command line stands for.
     *
     * @param line the command line without its line ending, one char per octet (ISO-8859-1)
     */
    public static LmtpRequest parse(String line) {
        boolean ascii = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return rejected(NOT_ASCII);
            }
            ascii &= c < 0x80;
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1);
        if (!ascii) {
            if (!verb.equals("MAIL") && !verb.equals("RCPT")) {
                return rejected(NOT_ASCII);
            }
            args = utf8(args);
            if (args == null) {
                return rejected(NOT_UTF8);
            }
        }
        return switch (verb) {
            case "LHLO" -> lhlo(args);
            case "MAIL" -> mail(args);
            case "RCPT" -> rcpt(args);
            case "DATA" -> args.isEmpty() ? new LmtpRequest.Data() : rejected(NO_ARGUMENTS);
            case "BDAT" -> bdat(args);
            case "STARTTLS" -> args.isEmpty() ? new LmtpRequest.StartTls() : rejected(NO_ARGUMENTS);
            case "RSET" -> args.isEmpty() ? new LmtpRequest.Rset() : rejected(NO_ARGUMENTS);
            case "QUIT" -> args.isEmpty() ? new LmtpRequest.Quit() : rejected(NO_ARGUMENTS);
            case "NOOP" -> new LmtpRequest.Noop();
            case "VRFY" -> args.isBlank() ? rejected(VRFY_SYNTAX) : new LmtpRequest.Vrfy(args.trim());
            case "HELO", "EHLO" -> rejected(USE_LHLO);
            default -> rejected(UNRECOGNIZED);
        };
    }

    /** The octets of {@code latin1} (one char per octet) decoded as UTF-8; null when malformed. */
    private static String utf8(String latin1) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static LmtpRequest bdat(String args) {
        Matcher m = BDAT_ARGS.matcher(args);
        if (!m.matches()) {
            return new LmtpRequest.Unrecoverable(BDAT_SYNTAX);
        }
        String digits = m.group(1);
        long size = digits.length() > MAX_CHUNK_SIZE_DIGITS ? Long.MAX_VALUE : Long.parseLong(digits);
        return new LmtpRequest.Bdat(size, m.group(2) != null);
    }

    /** The reply to a command line ended by a bare LF under strict line endings. */
    public static LmtpRequest bareLineFeed() {
        return rejected(BARE_LF);
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
        boolean smtputf8 = false;
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
                case "SMTPUTF8" -> {
                    if (value != null) {
                        return rejected(LmtpResponse.of(501, "5.5.4", "SMTPUTF8 takes no value"));
                    }
                    smtputf8 = true;
                }
                default -> {
                    return rejected(LmtpResponse.of(555, "5.5.4", "Unsupported MAIL parameter " + keyword));
                }
            }
        }
        if (!smtputf8 && sender.isPresent() && !sender.get().isAscii()) {
            return rejected(LmtpResponse.of(553, "5.6.7",
                    "Non-ASCII sender address needs the SMTPUTF8 parameter (RFC 6531)"));
        }
        return new LmtpRequest.MailFrom(sender, size, body, smtputf8);
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
