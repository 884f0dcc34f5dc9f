/**
 * What the demo provider of `npm run dev` answers, in turn: short texts written for the demo, two in
 * the voice of a person and two in the voice of a chat assistant, so a newcomer sees the gauge reach
 * both verdicts. They are canned: they do not answer the question asked.
 */
export interface DemoReply {
  /** Whose voice it is written in: the gauge should read a person's as human, an assistant's as AI. */
  voice: "person" | "assistant";
  text: string;
}

export const DEMO_REPLIES: readonly DemoReply[] = [
  // A person, writing casually.
  {
    voice: "person",
    text: "I never cared much about the sky until my daughter asked me why it was blue. We were in the car, stuck behind a bin lorry on a wet Tuesday, and I told her the sky reflects the sea. That was wrong, it turns out. I looked it up that night: sunlight bounces off the air itself, and the blue part of it scatters the most. She was not impressed. She wanted to know why sunsets are orange, and I said to ask her mum. Her mum is a nurse, and of course she knew.",
  },
  // An assistant, in its stock register.
  {
    voice: "assistant",
    text: "Great question! The meaning of life is a profound and multifaceted topic that has been explored by philosophers, scientists, and thinkers throughout history. Here are some key perspectives to consider. First, many people find meaning through relationships, community, and connection with others. Second, personal growth and the pursuit of knowledge can provide a deep sense of purpose. Third, contributing to something larger than oneself, such as a cause or a community, can be incredibly fulfilling. Ultimately, the meaning of life is a deeply personal question, and exploring it can be a rewarding journey. I hope this helps!",
  },
  // A person, telling a small story.
  {
    voice: "person",
    text: "We had a power cut last winter that lasted most of a weekend. The first night was fun, sort of: candles, a board game with half the pieces missing, my brother cheating badly. By Sunday the fridge smelled odd and nobody was laughing. Dad tried to cook eggs on the camping stove in the garden and set his sleeve smouldering. Nothing dramatic. He just patted it out and kept going, muttering. I still think of that when people say they'd love to live off the grid.",
  },
  // An assistant, summarising.
  {
    voice: "assistant",
    text: "Certainly! Here is a concise overview of the key benefits of regular exercise. Regular physical activity offers numerous benefits for both physical and mental health. It helps to improve cardiovascular health, strengthen muscles, and enhance flexibility. Additionally, exercise can significantly reduce stress, boost mood, and improve overall well-being. It is important to note that consistency is key, and even moderate activity can make a meaningful difference. In conclusion, incorporating regular exercise into your daily routine is an effective way to support a healthy and balanced lifestyle. Let me know if you would like more details!",
  },
];
