package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.mime.BodyStructure;
import io.stratusmail.mailbox.mime.BodyStructure.Disposition;
import io.stratusmail.mailbox.mime.BodyStructure.Extension;
import io.stratusmail.mailbox.mime.BodyStructure.Fields;
import io.stratusmail.mailbox.mime.BodyStructure.Parameter;
import java.util.List;

/**
 * Writes the {@code body} of a FETCH {@code BODY} or {@code BODYSTRUCTURE} response (RFC 3501 sections 7.4.2
 * and 9, RFC 9051 section 7.5.2).
 *
 * <p>Shapes: a single part is {@code (type subtype body-fields [lines] [ext])} where {@code body-fields} is
 * {@code params id description encoding size}, a text part adds its line count, a {@code message/rfc822} part
 * adds the encapsulated ENVELOPE, body and line count; a multipart is its parts with no space between them,
 * then the subtype: {@code ((...)(...) "MIXED" [ext])}. With {@code extensionData} ({@code BODYSTRUCTURE}) a
 * single part ends with {@code md5 disposition language location} and a multipart with
 * {@code params disposition language location}; {@code BODY} leaves them out, also inside encapsulated
 * messages. Missing values are NIL, empty parameter and language lists are NIL, a language list is always sent
 * parenthesized. Strings go through {@link ImapWriter}, which picks quoted or literal.
 */
public final class BodyStructureEncoder {

    private BodyStructureEncoder() {
    }

    /**
     * Appends the parenthesized body structure of {@code b} to {@code out}.
     *
     * @param extensionData true for {@code BODYSTRUCTURE}, false for {@code BODY}
     */
    public static void write(ImapWriter out, BodyStructure b, boolean extensionData) {
        out.raw('(');
        if (b instanceof BodyStructure.Multipart mp) {
            for (BodyStructure part : mp.parts()) {
                write(out, part, extensionData);
            }
            out.sp().string(mp.subtype());
            if (extensionData) {
                out.sp();
                parameters(out, mp.parameters());
                out.sp();
                disposition(out, mp.disposition());
                out.sp();
                language(out, mp.language());
                out.sp().nstring(mp.location());
            }
        } else if (b instanceof BodyStructure.Text text) {
            fields(out, text.type(), text.subtype(), text.fields());
            out.sp().number(text.lines());
            extension(out, text.extension(), extensionData);
        } else if (b instanceof BodyStructure.Message message) {
            fields(out, message.type(), message.subtype(), message.fields());
            out.sp();
            EnvelopeEncoder.write(out, message.envelope());
            out.sp();
            write(out, message.body(), extensionData);
            out.sp().number(message.lines());
            extension(out, message.extension(), extensionData);
        } else if (b instanceof BodyStructure.Basic basic) {
            fields(out, basic.type(), basic.subtype(), basic.fields());
            extension(out, basic.extension(), extensionData);
        } else {
            throw new IllegalArgumentException("unknown body structure " + b.getClass());
        }
        out.raw(')');
    }

    /** {@code media-type SP media-subtype SP body-fields}. */
    private static void fields(ImapWriter out, String type, String subtype, Fields f) {
        out.string(type).sp().string(subtype).sp();
        parameters(out, f.parameters());
        out.sp().nstring(f.id());
        out.sp().nstring(f.description());
        out.sp().string(f.encoding());
        out.sp().number(f.size());
    }

    /** {@code body-ext-1part}, preceded by a space, when extension data is asked for. */
    private static void extension(ImapWriter out, Extension e, boolean extensionData) {
        if (!extensionData) {
            return;
        }
        out.sp().nstring(e.md5());
        out.sp();
        disposition(out, e.disposition());
        out.sp();
        language(out, e.language());
        out.sp().nstring(e.location());
    }

    /** {@code body-fld-param}: {@code ("name" "value" ...)} or NIL. */
    private static void parameters(ImapWriter out, List<Parameter> parameters) {
        if (parameters.isEmpty()) {
            out.raw("NIL");
            return;
        }
        out.raw('(');
        for (int i = 0; i < parameters.size(); i++) {
            if (i > 0) {
                out.sp();
            }
            out.string(parameters.get(i).name()).sp().string(parameters.get(i).value());
        }
        out.raw(')');
    }

    /** {@code body-fld-dsp}: {@code ("type" params)} or NIL. */
    private static void disposition(ImapWriter out, Disposition d) {
        if (d == null) {
            out.raw("NIL");
            return;
        }
        out.raw('(').string(d.type()).sp();
        parameters(out, d.parameters());
        out.raw(')');
    }

    /** {@code body-fld-lang}: {@code ("tag" ...)} or NIL. */
    private static void language(ImapWriter out, List<String> tags) {
        if (tags.isEmpty()) {
            out.raw("NIL");
            return;
        }
        out.raw('(');
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.sp();
            }
            out.string(tags.get(i));
        }
        out.raw(')');
    }
}
