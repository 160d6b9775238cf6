// Runs many SPARQL queries on one in-memory Apache Jena dataset, in one JVM (see tests/jena.py).
//
// java -cp JARS tests/JenaRunner.java OUT_DIR DATA_FILE... -- QUERY_FILE...
//
// Reads every DATA_FILE into the default graph, then parses each QUERY_FILE as strict
// SPARQL 1.1 and writes its results to OUT_DIR/NAME.srj (SPARQL 1.1 Query Results JSON),
// or the error to OUT_DIR/NAME.err; NAME is the query file's name without ".rq".

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.RDFDataMgr;

public class JenaRunner {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Dataset dataset = DatasetFactory.create();
        int i = 1;
        for (; i < args.length && !args[i].equals("--"); i++) {
            RDFDataMgr.read(dataset.getDefaultModel(), args[i]);
        }
        for (i++; i < args.length; i++) {
            Path file = Path.of(args[i]);
            String name = file.getFileName().toString().replaceFirst("\\.rq$", "");
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Query query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
                try (QueryExecution exec = QueryExecution.dataset(dataset).query(query)
                        .timeout(120, TimeUnit.SECONDS).build();
                     OutputStream stream = Files.newOutputStream(out.resolve(name + ".srj"))) {
                    if (query.isAskType()) {
                        ResultSetFormatter.outputAsJSON(stream, exec.execAsk());
                    } else {
                        ResultSetFormatter.outputAsJSON(stream, exec.execSelect());
                    }
                }
            } catch (Exception err) {
                Files.deleteIfExists(out.resolve(name + ".srj"));
                Files.writeString(out.resolve(name + ".err"), err.toString(), StandardCharsets.UTF_8);
            }
        }
    }
}
