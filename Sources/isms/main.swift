import ISMSCommands
import Foundation

exit(ISMS.run(Array(CommandLine.arguments.dropFirst())))
