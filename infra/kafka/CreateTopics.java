// Creates the project's topics in one Admin call, skipping ones that exist.
// Run as a single-file program: java -cp '<kafka libs>/*' CreateTopics.java
//   <bootstrap> <partitions> <topic>...
// (kafka-topics creates one topic per JVM start; this does all at once.)
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.errors.TopicExistsException;

public class CreateTopics {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int partitions = Integer.parseInt(args[1]);
    List<String> names = Arrays.asList(args).subList(2, args.length);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) topics.add(new NewTopic(name, partitions, (short) 1));
      CreateTopicsResult result = admin.createTopics(topics);
      for (String name : names) {
        try {
          result.values().get(name).get();
          System.out.println("created " + name + " (" + partitions + " partitions)");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
      }
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      for (TopicDescription d : described.values()) {
        if (d.partitions().size() < partitions) {
          System.err.println(d.name() + " has " + d.partitions().size() + " partitions, expected " + partitions);
          System.exit(2);
        }
      }
    }
  }
}
