package io.stratusmail.mailbox.mime;

import java.nio.charset.StandardCharsets;

/**
 * Renders a parsed message in the transcript format of mime4j's own test suite ({@code TestHandler}, whose
 * expected output is the {@code .xml} file next to each corpus message): the same tree, fields and raw bodies
 * as mime4j's parser reports them. Comparing with those files checks our offsets against mime4j's parser.
 */
final class Mime4jTranscript {

    private final byte[] b;
    private final StringBuilder sb = new StringBuilder();

    private Mime4jTranscript(byte[] content) {
        this.b = content;
    }

    static String of(ParsedMessage message) {
        Mime4jTranscript t = new Mime4jTranscript(message.content());
        t.message(message.root());
        return t.sb.toString();
    }

    private void message(MimeEntity e) {
        sb.append("<message>\r\n");
        entity(e);
        sb.append("</message>\r\n");
    }

    private void entity(MimeEntity e) {
        sb.append("<header>\r\n");
        HeaderScanner s = new HeaderScanner(b, e.start(), e.bodyStart());
        while (s.next()) {
            if (s.nameEnd < 0) {
                continue;
            }
            int end = s.fieldEnd;
            if (end > s.fieldStart && b[end - 1] == '\n') {
                end--;
                if (end > s.fieldStart && b[end - 1] == '\r') {
                    end--;
                }
            }
            sb.append("<field>\r\n").append(escape(s.fieldStart, end)).append("</field>\r\n");
        }
        sb.append("</header>\r\n");
        if (e.isMultipart()) {
            sb.append("<multipart>\r\n");
            // mime4j reports a preamble when the first delimiter is not at the start of the body
            if (e.preambleEnd > e.bodyStart() || !startsWithDelimiter(e)) {
                sb.append("<preamble>\r\n").append(escape(e.bodyStart(), e.preambleEnd)).append("</preamble>\r\n");
            }
            // the empty part we add where no delimiter opens a part (the IMAP grammar needs one); mime4j has none
            boolean synthetic = e.parts.size() == 1 && e.parts.get(0).start() == e.end
                    && (e.preambleEnd == e.end || e.epilogueStart >= 0);
            for (MimeEntity part : synthetic ? java.util.List.<MimeEntity>of() : e.parts) {
                sb.append("<body-part>\r\n");
                entity(part);
                sb.append("</body-part>\r\n");
            }
            int epilogue = e.epilogueStart;
            // mime4j leaves a bare LF that ends the close delimiter line at the very end in the epilogue
            if (epilogue == e.end && epilogue >= 2 && b[epilogue - 1] == '\n' && b[epilogue - 2] != '\r') {
                epilogue--;
            }
            if (e.epilogueStart >= 0 && epilogue < e.end) {
                sb.append("<epilogue>\r\n").append(escape(epilogue, e.end)).append("</epilogue>\r\n");
            }
            sb.append("</multipart>\r\n");
        } else if (e.message != null) {
            message(e.message);
        } else {
            sb.append("<body>\r\n").append(escape(e.bodyStart(), e.end)).append("</body>\r\n");
        }
    }

    private boolean startsWithDelimiter(MimeEntity e) {
        byte[] boundary = e.contentType.boundary();
        int p = e.bodyStart();
        if (p + 2 + boundary.length > e.end || b[p] != '-' || b[p + 1] != '-') {
            return false;
        }
        return java.util.Arrays.equals(b, p + 2, p + 2 + boundary.length, boundary, 0, boundary.length);
    }

    private String escape(int from, int to) {
        String s = new String(b, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
        return s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;");
    }
}
