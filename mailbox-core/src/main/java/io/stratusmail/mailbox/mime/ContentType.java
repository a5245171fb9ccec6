package io.stratusmail.mailbox.mime;

import io.stratusmail.mailbox.mime.BodyStructure.Parameter;
import java.util.List;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * A parsed {@code Content-Type} (RFC 2045 section 5.1): media type, subtype and parameters as written.
 * Parameter syntax (quoting, comments) is parsed by mime4j's {@link RawFieldParser}.
 *
 * @param boundary the octets of the multipart boundary (RFC 2046 section 5.1.1); null unless multipart
 */
record ContentType(String type, String subtype, List<Parameter> parameters, byte[] boundary) {

    /** RFC 2045 section 5.2: the default, also for a syntactically invalid {@code Content-Type}. */
    static final ContentType TEXT_PLAIN = new ContentType("TEXT", "PLAIN", List.of(new Parameter("CHARSET", "US-ASCII")), null);
    /** RFC 2046 section 5.1.5: the default inside {@code multipart/digest}. */
    static final ContentType MESSAGE_RFC822 = new ContentType("MESSAGE", "RFC822", List.of(), null);

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    ContentType {
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses a {@code Content-Type} value (unfolded octets). Returns {@code fallback} when the value is absent,
     * is not {@code type/subtype} made of tokens, or is a multipart without a boundary (RFC 2046 section 5.1.1
     * makes the boundary mandatory, and without it the body cannot be split).
     */
    static ContentType parse(byte[] value, ContentType fallback) {
        if (value == null) {
            return fallback;
        }
        Mime4jInput input = Mime4jInput.of(value);
        RawBody body = input.rawBody();
        String mediaType = body.getValue() == null ? "" : body.getValue().trim();
        int slash = mediaType.indexOf('/');
        if (slash < 0) {
            return fallback;
        }
        String type = mediaType.substring(0, slash).trim();
        String subtype = mediaType.substring(slash + 1).trim();
        if (!isToken(type) || !isToken(subtype)) {
            return fallback;
        }
        List<Parameter> parameters = input.parameters(body);
        byte[] boundary = null;
        if (type.equalsIgnoreCase("multipart")) {
            boundary = boundary(input, body);
            if (boundary == null) {
                return fallback;
            }
        }
        return new ContentType(type, subtype, parameters, boundary);
    }

    /** The octets of the first {@code boundary} parameter, or null when absent or empty. */
    private static byte[] boundary(Mime4jInput input, RawBody body) {
        for (NameValuePair p : body.getParams()) {
            if (p.getName() != null && p.getName().trim().equalsIgnoreCase("boundary")) {
                String v = p.getValue();
                return v == null || v.isEmpty() ? null : input.octets(v);
            }
        }
        return null;
    }

    boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    /** {@code message/rfc822} or {@code message/global} (RFC 6532): a part that encapsulates a message. */
    boolean isMessage() {
        return type.equalsIgnoreCase("message")
                && (subtype.equalsIgnoreCase("rfc822") || subtype.equalsIgnoreCase("global"));
    }

    boolean isText() {
        return type.equalsIgnoreCase("text");
    }

    boolean isDigest() {
        return isMultipart() && subtype.equalsIgnoreCase("digest");
    }

    /** The value of the first parameter {@code name} (case-insensitive), or null. */
    String parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equalsIgnoreCase(name)) {
                return p.value();
            }
        }
        return null;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
