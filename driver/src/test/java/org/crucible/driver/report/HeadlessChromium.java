package org.crucible.driver.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Renders a report in headless Chromium for tests. A test copy of the page gets two inline scripts (allowed by
 * widening its content-security policy with script-src 'unsafe-inline' only): one at the top that records uncaught
 * errors, failed resource loads and CSP violations (so any attempt to fetch something fails the test), and one that
 * after load writes every plot's page box and data area as attributes, which {@code --dump-dom} then returns. A
 * second run takes a screenshot at device scale 1 so the boxes index its pixels directly.
 */
final class HeadlessChromium {
    record Box(String id, int x, int y, int w, int h, int ax, int ay, int aw, int ah) {
    }

    record Render(List<Box> boxes, List<String> errors, BufferedImage screenshot, String log) {
    }

    private static final String HOOK = "<script>window.__errors=[];"
            + "window.addEventListener('error',function(e){window.__errors.push('error: '+(e.message||(e.target&&(e.target.src||e.target.href))||e.type));},true);"
            + "document.addEventListener('securitypolicyviolation',function(e){window.__errors.push('csp: '+e.violatedDirective+' '+e.blockedURI);});"
            + "</script>";
    private static final String PROBE = "<script>window.addEventListener('load',function(){"
            + "document.querySelectorAll('svg.plot').forEach(function(s){var r=s.getBoundingClientRect();"
            + "s.setAttribute('data-box',[r.left+scrollX,r.top+scrollY,r.width,r.height].map(Math.round).join(','));});"
            + "document.body.setAttribute('data-errors',window.__errors.join(' | '));document.body.setAttribute('data-probed','yes');});</script>";

    private HeadlessChromium() {
    }

    /** The test copy of {@code html} (with the hooks and {@code extra} before the closing body tag). */
    static Path instrument(Path html, String extra) throws IOException {
        String page = Files.readString(html);
        if (!page.contains("default-src 'none';")) throw new IllegalStateException("the report lost its content-security policy");
        page = page.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';").replace("<head>", "<head>" + HOOK)
                .replace("</body>", extra + PROBE + "</body>");
        Path copy = html.resolveSibling("test-" + html.getFileName());
        Files.writeString(copy, page);
        return copy;
    }

    static Render render(Path chromium, Path page, Path work) throws IOException, InterruptedException {
        return render(chromium, page, work, 1400, 5600);
    }

    /** Renders at a window of {@code width} x {@code height} CSS pixels (the DOM probe and the screenshot alike). */
    static Render render(Path chromium, Path page, Path work, int width, int height) throws IOException, InterruptedException {
        Path png = work.resolve("screenshot.png");
        String size = "--window-size=" + width + "," + height;
        String dom = run(chromium, work.resolve("profile-dom"), List.of("--dump-dom", size, page.toUri().toString()), work.resolve("dom.log"));
        String shot = run(chromium, work.resolve("profile-shot"), List.of("--screenshot=" + png, size, page.toUri().toString()),
                work.resolve("shot.log"));
        if (!dom.contains("data-probed=\"yes\"")) throw new IllegalStateException("the probe script did not run; Chromium output:\n" + dom.substring(0, Math.min(2000, dom.length())));
        List<Box> boxes = new ArrayList<>();
        Matcher m = Pattern.compile("<svg[^>]*?data-plot=\"([a-z0-9-]+)\"[^>]*>").matcher(dom);
        while (m.find()) {
            String tag = m.group();
            int[] box = ints(attr(tag, "data-box"));
            int[] area = ints(attr(tag, "data-area"));
            boxes.add(new Box(m.group(1), box[0], box[1], box[2], box[3], area[0], area[1], area[2], area[3]));
        }
        List<String> errors = new ArrayList<>();
        Matcher e = Pattern.compile("data-errors=\"([^\"]*)\"").matcher(dom);
        if (e.find() && !e.group(1).isEmpty()) errors.add(e.group(1));
        String log = Files.readString(work.resolve("dom.log")) + Files.readString(work.resolve("shot.log"));
        for (String line : log.split("\n")) {
            if (line.contains("Uncaught") || (line.contains("CONSOLE") && line.contains("ERROR"))) errors.add("chromium log: " + line);
        }
        if (!Files.exists(png)) throw new IllegalStateException("no screenshot written; Chromium output:\n" + shot + log);
        return new Render(boxes, errors, ImageIO.read(png.toFile()), log);
    }

    private static String attr(String tag, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(tag);
        if (!m.find()) throw new IllegalStateException("no " + name + " on " + tag);
        return m.group(1);
    }

    private static int[] ints(String csv) {
        String[] p = csv.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) out[i] = Integer.parseInt(p[i].trim());
        return out;
    }

    private static String run(Path chromium, Path profile, List<String> args, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
                "--hide-scrollbars", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 120 s: " + cmd);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + Files.readString(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Pixels in the rectangle whose colour has a chroma (max - min channel) above {@code chroma}: drawn data, not grey axes. */
    static int colouredPixels(BufferedImage img, int x, int y, int w, int h, int chroma) {
        int n = 0;
        for (int j = Math.max(0, y); j < Math.min(img.getHeight(), y + h); j++) {
            for (int i = Math.max(0, x); i < Math.min(img.getWidth(), x + w); i++) {
                int rgb = img.getRGB(i, j);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > chroma) n++;
            }
        }
        return n;
    }
}
