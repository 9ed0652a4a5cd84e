/// The noun with its indefinite article: "an incident", "a risk". Chosen by the first letter, which is how the
/// nouns isms puts after one (kind and type names) sound: none begins with a silent h or a "you" u.
public func withIndefiniteArticle(_ noun: String) -> String {
    guard let first = noun.first else { return noun }
    return "aeiouAEIOU".contains(first) ? "an \(noun)" : "a \(noun)"
}
