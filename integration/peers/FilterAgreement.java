import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import software.amazon.event.ruler.Machine;

/**
 * Filter agreement peer: reads JSON lines {"name","pattern","event"} on stdin
 * and, for each, compiles the pattern with AWS's event-ruler (the matcher
 * behind EventBridge and Lambda event filtering) and matches the event with
 * rulesForJSONEvent (array-consistent matching). Prints one line per case:
 * name TAB match|nomatch|invalid. One JVM for every case.
 */
public final class FilterAgreement {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode c = json.readTree(line);
      System.out.println(c.get("name").asText() + "\t" + verdict(c.get("pattern").asText(), c.get("event").asText()));
    }
  }

  private static String verdict(String pattern, String event) {
    Machine m = new Machine();
    try {
      m.addRule("r", pattern);
    } catch (Exception e) {
      return "invalid";
    }
    try {
      return m.rulesForJSONEvent(event).isEmpty() ? "nomatch" : "match";
    } catch (Exception e) {
      return "event-error " + e.getClass().getSimpleName();
    }
  }
}
