// The OWL API's OWL 2 DL profile check and HermiT over one or more ontology
// documents loaded as one ontology (tests/test_ontology.py compiles and runs
// this against the HermiT.jar that owlready2 ships, which bundles the OWL API).
// Prints one line per profile violation ("VIOLATION ..."), then HermiT's
// verdict ("CONSISTENT true|false", or "HERMIT-ERROR ..." when HermiT refuses
// the ontology, as it does for a datatype outside the OWL 2 datatype map
// unless told to ignore those).
import java.io.File;

import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology whole = manager.createOntology(IRI.create("urn:kg:dl-check"));
        for (String path : args) {
            OWLOntology part = manager.loadOntologyFromOntologyDocument(new File(path));
            manager.addAxioms(whole, part.getAxioms());
            for (OWLAnnotation a : part.getAnnotations()) {
                manager.applyChange(new AddOntologyAnnotation(whole, a));
            }
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(whole);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("VIOLATION " + v.toString().replace('\n', ' '));
        }
        try {
            Reasoner hermit = new Reasoner(whole);  // the default configuration: unsupported datatypes are an error
            System.out.println("CONSISTENT " + hermit.isConsistent());
        } catch (Exception e) {
            System.out.println("HERMIT-ERROR " + e.toString().replace('\n', ' '));
        }
    }
}
