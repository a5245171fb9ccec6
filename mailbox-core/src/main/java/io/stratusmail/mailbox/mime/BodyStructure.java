package io.stratusmail.mailbox.mime;

import java.util.List;

/**
 * The MIME structure of a message as FETCH {@code BODY} and {@code BODYSTRUCTURE} show it (RFC 3501 section
 * 7.4.2, RFC 9051 section 7.5.2): a tree whose leaves are single parts and whose inner nodes are multiparts
 * or encapsulated messages.
 *
 * <p>The four shapes follow the RFC grammar: {@link Basic} ({@code body-type-basic}), {@link Text}
 * ({@code body-type-text}: adds the line count), {@link Message} ({@code body-type-msg}: a
 * {@code message/rfc822} or {@code message/global} part, with the encapsulated message's ENVELOPE and
 * structure) and {@link Multipart} ({@code body-type-mpart}). Single parts carry {@link Fields}
 * ({@code body-fields}) and {@link Extension} ({@code body-ext-1part}), which {@code BODY} leaves out and
 * {@code BODYSTRUCTURE} sends.
 *
 * <p>Strings are as written in the header (unfolded, trimmed, not decoded; media type and subtype keep the
 * sender's case) except the defaults: a part without a valid {@code Content-Type} is {@code TEXT/PLAIN} with
 * {@code CHARSET=US-ASCII} (a part of a {@code multipart/digest}: {@code MESSAGE/RFC822}, RFC 2046 section
 * 5.1.5), and a part without {@code Content-Transfer-Encoding} has encoding {@code 7BIT}. A part that cannot be
 * shown as what it claims is shown as {@code APPLICATION/OCTET-STREAM} with its own parameters: a
 * {@code message/rfc822} whose body is base64 or quoted-printable encoded (its octets are not a message until
 * decoded), and a multipart or message nested deeper than {@link ParsedMessage#MAX_DEPTH} or beyond
 * {@link ParsedMessage#MAX_PARTS}. A multipart in which no boundary delimiter occurs holds one empty
 * {@code TEXT/PLAIN} part, since the grammar needs at least one. {@code null} means NIL; empty lists are sent as
 * NIL.
 */
public sealed interface BodyStructure
        permits BodyStructure.Basic, BodyStructure.Text, BodyStructure.Message, BodyStructure.Multipart {

    /** A {@code Content-Type} or {@code Content-Disposition} parameter, name and value as written (unquoted). */
    record Parameter(String name, String value) {
    }

    /**
     * {@code body-fld-dsp}: the {@code Content-Disposition} (RFC 2183).
     *
     * @param type       {@code inline}, {@code attachment}, ... as written
     * @param parameters its parameters, possibly empty
     */
    record Disposition(String type, List<Parameter> parameters) {
        public Disposition {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * {@code body-fields} of a single part.
     *
     * @param parameters  the {@code Content-Type} parameters ({@code body-fld-param}), possibly empty
     * @param id          {@code Content-ID}, or {@code null}
     * @param description {@code Content-Description}, or {@code null}
     * @param encoding    {@code Content-Transfer-Encoding}, {@code 7BIT} when absent
     * @param size        the size of the body in octets as stored, that is still transfer-encoded
     */
    record Fields(List<Parameter> parameters, String id, String description, String encoding, long size) {
        public Fields {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * {@code body-ext-1part}: the extension data of a single part, sent by {@code BODYSTRUCTURE} only.
     *
     * @param md5         {@code Content-MD5}, or {@code null} (almost always)
     * @param disposition {@code Content-Disposition}, or {@code null}
     * @param language    {@code Content-Language} tags (RFC 3282), possibly empty
     * @param location    {@code Content-Location} (RFC 2557), or {@code null}
     */
    record Extension(String md5, Disposition disposition, List<String> language, String location) {
        public Extension {
            language = List.copyOf(language);
        }
    }

    /** {@code body-type-basic}: any single part that is neither text nor an encapsulated message. */
    record Basic(String type, String subtype, Fields fields, Extension extension) implements BodyStructure {
    }

    /**
     * {@code body-type-text}: a {@code text/*} part.
     *
     * @param lines the size of the body in text lines (line ends counted, plus one for a last line without one)
     */
    record Text(String type, String subtype, Fields fields, long lines, Extension extension) implements BodyStructure {
    }

    /**
     * {@code body-type-msg}: a {@code message/rfc822} or {@code message/global} part.
     *
     * @param envelope the ENVELOPE of the encapsulated message
     * @param body     the structure of the encapsulated message
     * @param lines    the size of the encapsulated message in text lines
     */
    record Message(String type, String subtype, Fields fields, Envelope envelope, BodyStructure body, long lines,
                   Extension extension) implements BodyStructure {
    }

    /**
     * {@code body-type-mpart}: a multipart.
     *
     * @param parts       the body parts in order, never empty
     * @param subtype     {@code mixed}, {@code alternative}, ... as written
     * @param parameters  the {@code Content-Type} parameters, including {@code boundary}
     * @param disposition {@code Content-Disposition}, or {@code null}
     * @param language    {@code Content-Language} tags, possibly empty
     * @param location    {@code Content-Location}, or {@code null}
     */
    record Multipart(List<BodyStructure> parts, String subtype, List<Parameter> parameters, Disposition disposition,
                     List<String> language, String location) implements BodyStructure {
        public Multipart {
            parts = List.copyOf(parts);
            parameters = List.copyOf(parameters);
            language = List.copyOf(language);
        }
    }
}
