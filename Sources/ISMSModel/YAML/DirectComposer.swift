// CYaml is the libyaml that Yams builds and wraps: visible through the Yams product, so no other dependency.
import CYaml

/// Builds a `YAMLNode` straight from the events of libyaml, the parser inside Yams, for the files that
/// are what a record should be: one document of plain scalars, lists and mappings, keys that are distinct
/// scalars, no anchor, alias or tag, no deeper than the limit. It gives up (nil) on anything else, and
/// `YAMLReader` then composes through Yams, which words every problem; so this path decides no finding.
///
/// Why it exists: the history parses every distinct record blob ever committed (32,000 in a history of
/// 20,000 commits), and composing Yams nodes first — tags resolved, keys hashed for its own duplicate
/// check, then converted — cost twice what this does (docs/performance.md).
package enum DirectComposer {
    package static func compose(_ text: String, maxDepth: Int) -> YAMLNode? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            // As Yams sets it up for a UTF-8 string, so that marks (line, column) are the same.
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, bytes.count)
            return withUnsafeMutablePointer(to: &parser) { parser in
                var events = EventReader(parser: parser)
                guard events.next()?.type == YAML_STREAM_START_EVENT,
                    events.next()?.type == YAML_DOCUMENT_START_EVENT,
                    let first = events.next(),
                    let root = node(from: first, depth: 1, maxDepth: maxDepth, events: &events),
                    events.next()?.type == YAML_DOCUMENT_END_EVENT,
                    events.next()?.type == YAML_STREAM_END_EVENT
                else { return nil }
                return root
            }
        }
    }

    /// Mappings up to this size look for a duplicate key linearly, as `YAMLReader` does.
    private static let linearKeySearch = 24

    private static func node(from event: Event, depth: Int, maxDepth: Int, events: inout EventReader) -> YAMLNode? {
        guard depth <= maxDepth, !event.isDecorated else { return nil }
        switch event.type {
        case YAML_SCALAR_EVENT:
            return YAMLNode(.scalar(YAMLScalar(text: event.text, isPlain: event.isPlain)), at: event.location)
        case YAML_SEQUENCE_START_EVENT:
            var items = [YAMLNode]()
            while true {
                guard let next = events.next() else { return nil }
                if next.type == YAML_SEQUENCE_END_EVENT { break }
                guard let item = node(from: next, depth: depth + 1, maxDepth: maxDepth, events: &events) else { return nil }
                items.append(item)
            }
            return YAMLNode(.sequence(items), at: event.location)
        case YAML_MAPPING_START_EVENT:
            var pairs = [YAMLPair]()
            var seen = Set<String>()
            while true {
                guard let key = events.next() else { return nil }
                if key.type == YAML_MAPPING_END_EVENT { break }
                guard key.type == YAML_SCALAR_EVENT, !key.isDecorated else { return nil }
                if pairs.count == linearKeySearch { seen = Set(pairs.map(\.key)) }
                let repeated = pairs.count < linearKeySearch ? pairs.contains { $0.key == key.text } : !seen.insert(key.text).inserted
                guard !repeated, let first = events.next(),
                    let value = node(from: first, depth: depth + 1, maxDepth: maxDepth, events: &events)
                else { return nil }
                pairs.append(YAMLPair(key: key.text, keyLocation: key.location, value: value))
            }
            return YAMLNode(.mapping(pairs), at: event.location)
        default:
            // An alias, or an event out of place.
            return nil
        }
    }

    /// What a node needs of one libyaml event, copied out so that the event is freed at once.
    package struct Event {
        package var type: yaml_event_type_t
        package var location: SourceLocation
        package var text = ""
        package var isPlain = false
        /// Carries an anchor or an explicit tag.
        package var isDecorated = false
    }

    package struct EventReader {
        package let parser: UnsafeMutablePointer<yaml_parser_t>

        package init(parser: UnsafeMutablePointer<yaml_parser_t>) {
            self.parser = parser
        }

        /// The next event; nil on a syntax error.
        package mutating func next() -> Event? {
            var raw = yaml_event_t()
            guard yaml_parser_parse(parser, &raw) == 1 else { return nil }
            defer { yaml_event_delete(&raw) }
            // libyaml counts from 0; Yams' marks, and ours, from 1.
            var event = Event(
                type: raw.type,
                location: SourceLocation(
                    line: Int(raw.start_mark.line) + 1,
                    column: Int(raw.start_mark.column) + 1))
            switch raw.type {
            case YAML_SCALAR_EVENT:
                let scalar = raw.data.scalar
                event.isDecorated = scalar.anchor != nil || scalar.tag != nil
                // A scalar may hold NUL (written "\0"), so its length counts, not a terminator.
                event.text =
                    scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
                event.isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE || scalar.style == YAML_ANY_SCALAR_STYLE
            case YAML_SEQUENCE_START_EVENT:
                event.isDecorated = raw.data.sequence_start.anchor != nil || raw.data.sequence_start.tag != nil
            case YAML_MAPPING_START_EVENT:
                event.isDecorated = raw.data.mapping_start.anchor != nil || raw.data.mapping_start.tag != nil
            default:
                break
            }
            return event
        }
    }
}
