/** The part of the (untyped) `text-readability` package the analyzer benchmark compares against. */
declare module "text-readability" {
  interface Readability {
    fleschReadingEase(text: string): number;
    fleschKincaidGrade(text: string): number;
    gunningFog(text: string): number;
    smogIndex(text: string): number;
    colemanLiauIndex(text: string): number;
    automatedReadabilityIndex(text: string): number;
  }
  const readability: Readability;
  export default readability;
}
