import { expect, test } from '@playwright/test';
import {
  agentLog, agentReplies, conversationOption, conversationWith, inbox, openChat, openCustomerPage, person, signInAgent,
  unique, visitorLog, visitorSends,
} from './helpers.ts';

for (const framework of [{ name: 'React', path: '/react/' }, { name: 'Vue', path: '/vue/' }] as const) {
  test(`the ${framework.name} page: live list, properties in, events out, a reply reaches the visitor`, async ({ browser }) => {
    const visitor = await person(browser);
    const agent = await person(browser);
    await signInAgent(agent.page, framework.path);
    await openCustomerPage(visitor.page);
    await openChat(visitor.page);
    const text = unique(`Question for the ${framework.name} console`);
    await visitorSends(visitor.page, text);

    await conversationOption(agent.page, text).click();
    await expect(agentLog(agent.page)).toContainText(text);
    // The app's own state follows the element's parley-conversation-select event.
    const id = await conversationWith(text);
    const sidebar = agent.page.getByRole('complementary', { name: `The ${framework.name} app` });
    await expect(sidebar.locator(`code[title="${id}"]`)).toBeVisible();
    await expect(sidebar).toContainText('Visitor');

    const reply = `Answered from ${framework.name}`;
    await agentReplies(agent.page, reply);
    await expect(sidebar).toContainText('parley-send');
    await expect(visitorLog(visitor.page)).toContainText(reply);
    // The strings property set by the app reached the element.
    await expect(inbox(agent.page).getByRole('heading', { name: 'Support inbox' })).toBeVisible();
    await visitor.context.close();
    await agent.context.close();
  });
}
