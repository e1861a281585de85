// Kafka's offsets and consumer-group lag as Prometheus metrics, for the local
// stack (the cloud runs Strimzi's Kafka Exporter, which publishes the same
// names, so one set of alert rules serves both). Single-file program:
//   java -cp '<kafka libs>/*' LagExporter.java <bootstrap> <port>
// Each scrape asks the broker through the Admin API; nothing is cached, so a
// scrape shows the broker's state at that moment (or fails when it is down).
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

public class LagExporter {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
    Admin admin = Admin.create(props);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body;
      int status = 200;
      try {
        body = scrape(admin).getBytes(StandardCharsets.UTF_8);
      } catch (Exception e) {
        status = 503;
        body = ("kafka not reachable: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("kafka lag exporter listening on 127.0.0.1:" + args[1]);
  }

  static String scrape(Admin admin) throws Exception {
    Set<String> topics = admin.listTopics().names().get();
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription d : described.values())
      d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));

    StringBuilder out = new StringBuilder();
    out.append("# HELP kafka_topic_partition_current_offset Log end offset of a topic partition.\n");
    out.append("# TYPE kafka_topic_partition_current_offset gauge\n");
    for (var e : sorted(ends))
      out.append(String.format("kafka_topic_partition_current_offset{topic=\"%s\",partition=\"%d\"} %d\n",
          e.getKey().topic(), e.getKey().partition(), e.getValue()));

    out.append("# HELP kafka_consumergroup_current_offset Committed offset of a consumer group on a partition.\n");
    out.append("# TYPE kafka_consumergroup_current_offset gauge\n");
    StringBuilder lag = new StringBuilder();
    lag.append("# HELP kafka_consumergroup_lag Messages on a partition a consumer group has not committed yet.\n");
    lag.append("# TYPE kafka_consumergroup_lag gauge\n");
    for (GroupListing group : admin.listGroups().all().get()) {
      String id = group.groupId();
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get();
      for (var e : sorted(committed)) {
        if (e.getValue() == null) continue;
        TopicPartition tp = e.getKey();
        long offset = e.getValue().offset();
        String labels = String.format("consumergroup=\"%s\",topic=\"%s\",partition=\"%d\"", id, tp.topic(), tp.partition());
        out.append("kafka_consumergroup_current_offset{").append(labels).append("} ").append(offset).append('\n');
        long end = ends.getOrDefault(tp, offset);
        lag.append("kafka_consumergroup_lag{").append(labels).append("} ").append(Math.max(0, end - offset)).append('\n');
      }
    }
    return out.append(lag).toString();
  }

  static <V> List<Map.Entry<TopicPartition, V>> sorted(Map<TopicPartition, V> map) {
    List<Map.Entry<TopicPartition, V>> list = new ArrayList<>(map.entrySet());
    list.sort(Comparator.comparing((Map.Entry<TopicPartition, V> e) -> e.getKey().topic())
        .thenComparingInt(e -> e.getKey().partition()));
    return list;
  }
}
