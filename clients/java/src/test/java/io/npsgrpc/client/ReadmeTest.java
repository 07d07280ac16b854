package io.npsgrpc.client;

import static org.junit.Assert.assertTrue;

import io.npsgrpc.example.SubmitExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The README's Java is code the tests compile and run: its example is SubmitExample.java, and every other snippet
 * is a region of a test, between "// README: name" and "// README: end".
 */
public class ReadmeTest {
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```java\n(.*?)^```$");
  private static final Pattern REGION = Pattern.compile("(?ms)^[ \t]*// README: (\\S+)\n(.*?)^[ \t]*// README: end$");

  /** The SDK's folder: the one above the compiled tests that holds build.gradle. */
  private static Path sdk() throws Exception {
    Path dir = Paths.get(ReadmeTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    while (!Files.exists(dir.resolve("build.gradle"))) dir = dir.getParent();
    return dir;
  }

  private static Set<String> readmeBlocks() throws Exception {
    Matcher m = BLOCK.matcher(read(sdk().resolve("README.md")));
    Set<String> blocks = new HashSet<>();
    while (m.find()) blocks.add(m.group(1));
    return blocks;
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  @Test
  public void theReadmeShowsTheExampleProgramAsItIs() throws Exception {
    String example = read(sdk().resolve("src/example/java/io/npsgrpc/example/SubmitExample.java"));
    assertTrue("README.md has no ```java block equal to SubmitExample.java", readmeBlocks().contains(example));
  }

  @Test
  public void everyReadmeRegionOfTheTestsIsInTheReadme() throws Exception {
    Set<String> blocks = readmeBlocks();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(sdk().resolve("src/test/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
    }
    List<String> names = new ArrayList<>();
    for (Path source : sources) {
      Matcher m = REGION.matcher(read(source));
      while (m.find()) {
        names.add(m.group(1));
        String body = dedent(m.group(2));
        assertTrue("README.md has no ```java block equal to the region " + m.group(1) + " of " + source.getFileName()
            + ":\n" + body, blocks.contains(body));
      }
    }
    assertTrue("the production region is among " + names, names.contains("production"));
  }

  @Test(timeout = 60_000)
  public void theExampleSubmitsToAProductOfItsOwnAndPrintsItsScore() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, "UTF-8"));
    try {
      SubmitExample.main(new String[] {Live.address()});
    } finally {
      System.setOut(stdout);
    }
    String printed = captured.toString("UTF-8");
    System.out.print(printed);
    assertTrue(printed, Pattern.compile("(?m)^rejected: responses\\[9\\]\\.score REJECTION_REASON_SCORE_OUT_OF_RANGE: ").matcher(printed).find());
    assertTrue(printed, Pattern.compile("(?m)^writer java-[0-9a-f-]{36}: Stats\\{accepted=9, rejected=1, ").matcher(printed).find());
    assertTrue(printed, Pattern.compile("(?m)^example-java-\\d+: NPS 33\\.3 from 9 responses \\(5 promoters, 2 passives, "
        + "2 detractors\\), 95% interval -?[0-9.]+ to [0-9.]+ \\(low sample: under 30 responses\\)$").matcher(printed).find());
  }

  private static String dedent(String body) {
    String[] lines = body.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (int i = 0; i < lines.length - 1; i++) {
      if (!lines[i].trim().isEmpty()) indent = Math.min(indent, lines[i].length() - lines[i].stripLeading().length());
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length - 1; i++) out.append(lines[i].length() >= indent ? lines[i].substring(indent) : lines[i].trim()).append('\n');
    return out.toString();
  }
}
